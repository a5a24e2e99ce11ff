package com.onemember.hub.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.hub.support.HubIT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Uploads the hub refuses leave nothing behind: after twenty of them the hub's process holds no
 * more open files than before, and neither its work directory nor the temporary directory keeps
 * their copies. (The hub runs in this JVM, so {@code /proc/self/fd} is its open files.)
 */
class RejectedUploadsIT extends HubIT {

  /**
   * What an upload's handling opens: the hub's copy ({@code .upload}), the multipart and upload
   * temporaries, a workbook's unpacked parts (POI's {@code .tmp}), the file itself. The broker's
   * journal and the database's files, which they open as they please, are not counted.
   */
  private static final java.util.regex.Pattern UPLOAD_FILE =
      java.util.regex.Pattern.compile(
          "(?i).*\\.(upload|part|tmp|xlsx|csv)|onemember-upload-.*|upload_.*|poi.*");

  /** Open files of this process under {@code dirs} that are an upload's. */
  private static long openFiles(Path... dirs) throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.map(
              fd -> {
                try {
                  return Files.readSymbolicLink(fd).toString();
                } catch (IOException gone) {
                  return "";
                }
              })
          .filter(
              target ->
                  java.util.Arrays.stream(dirs)
                      .anyMatch(d -> target.startsWith(d.toAbsolutePath().toString())))
          .filter(target -> UPLOAD_FILE.matcher(Path.of(target).getFileName().toString()).matches())
          .count();
    }
  }

  private static long files(Path dir, String glob) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (var found = Files.newDirectoryStream(dir, glob)) {
      long n = 0;
      for (Path ignored : found) {
        n++;
      }
      return n;
    }
  }

  /** A zip of the named entries and their text. */
  private static byte[] zip(String... entries) throws IOException {
    var bytes = new java.io.ByteArrayOutputStream();
    try (var zip = new java.util.zip.ZipOutputStream(bytes)) {
      for (int i = 0; i < entries.length; i += 2) {
        zip.putNextEntry(new java.util.zip.ZipEntry(entries[i]));
        zip.write(entries[i + 1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  @Test
  void twentyRefusedWorkbooksLeaveNoOpenFileAndNoCopyBehind() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")));
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    // a warm-up, so that what the first upload loads once is not counted
    uploadAsBrowser("warm-up.xlsx", "not a workbook".getBytes(), Map.of("source", "store-rejects"));
    Path work = com.onemember.hub.support.HubInfrastructure.get().dataDir().resolve("hub/imports");
    long workBefore = files(work, "*.upload");
    Path hubData = com.onemember.hub.support.HubInfrastructure.get().dataDir();
    long filesBefore = openFiles(tmp, hubData);
    long uploadsBefore = files(tmp, "onemember-upload-*") + files(tmp, "upload_*");
    for (int i = 0; i < 20; i++) {
      // a workbook whose zip is cut off, an empty one, a zip whose workbook part is broken, and
      // a CSV with a header and no one in it
      byte[] body =
          switch (i % 4) {
            case 0 -> new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0};
            case 1 -> new byte[0];
            case 2 -> zip("[Content_Types].xml", "<Types/>", "xl/workbook.xml", "<workbook>");
            default -> "姓名,手机号\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
          };
      var answer =
          uploadAsBrowser(
              i % 4 == 3 ? "会员" + i + ".csv" : "会员" + i + ".xlsx",
              body,
              Map.of("source", "store-rejects"));
      assertThat(answer.statusCode()).as(answer.body()).isBetween(400, 499);
    }
    System.gc(); // a stream left for the garbage collector to close would show as leaked anyway
    assertThat(openFiles(tmp, hubData)).isLessThanOrEqualTo(filesBefore);
    assertThat(files(tmp, "onemember-upload-*") + files(tmp, "upload_*"))
        .isLessThanOrEqualTo(uploadsBefore);
    assertThat(files(work, "*.upload")).isLessThanOrEqualTo(workBefore);
  }
}
