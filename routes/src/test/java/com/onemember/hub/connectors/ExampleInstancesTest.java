package com.onemember.hub.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.connectors.KnownKinds;
import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.ConnectorInstances;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code config/connectors/*.yaml.example} the project ships, copied to a {@code .yaml} name
 * as its README says, is an instance file the hub takes: an example that no longer fits its kind's
 * schema would send IT staff to a start that fails. Placeholders are filled with values of the
 * shape their parameter wants.
 */
class ExampleInstancesTest {

  @TempDir Path dir;

  /** A value for {@code ${NAME}} of the shape the parameter behind it takes. */
  private static String placeholder(String name) {
    if (name.contains("AES")) {
      return "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"; // 43 characters, as WeChat's
    }
    return "Placeholder42abcdef"; // long enough for a signing secret, short enough for a token
  }

  @Test
  void everyShippedExampleIsAValidInstanceFile() throws Exception {
    Path examples = Path.of("..", "config", "connectors");
    List<Path> files;
    try (Stream<Path> listed = Files.list(examples)) {
      files = listed.filter(p -> p.toString().endsWith(".yaml.example")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(8);
    for (Path example : files) {
      String name = example.getFileName().toString().replace(".yaml.example", ".yaml");
      Files.copy(example, dir.resolve(name));
    }
    List<ConnectorInstance> instances =
        new ConnectorInstances(KnownKinds.all(), ExampleInstancesTest::placeholder).read(dir);
    assertThat(instances).hasSameSizeAs(files);
    assertThat(instances)
        .extracting(ConnectorInstance::kind)
        .contains("wechat-miniprogram", "youzan", "woocommerce", "shopify");
  }
}
