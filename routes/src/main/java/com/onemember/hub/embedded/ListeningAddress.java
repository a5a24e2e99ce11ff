package com.onemember.hub.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Says at start where the hub listens, and on the loopback default how to open it up. */
@Component
class ListeningAddress {

  private static final Logger log = LoggerFactory.getLogger(ListeningAddress.class);

  private final Environment environment;

  ListeningAddress(Environment environment) {
    this.environment = environment;
  }

  @EventListener(ApplicationReadyEvent.class)
  void tell() {
    String address = environment.getProperty("server.address");
    String port = environment.getProperty("local.server.port", "8080");
    if (LoopbackOnEmbeddedDefaults.LOOPBACK.equals(address)) {
      log.info(
          "Listening on {}:{} only, as on every embedded default; to reach the hub from other"
              + " machines start it with --server.address=0.0.0.0 (and put TLS in front) /"
              + " 仅在本机 {}:{} 监听；如需从其他机器访问，请以 --server.address=0.0.0.0 启动（并在前面加 TLS）",
          address,
          port,
          address,
          port);
    } else {
      log.info("Listening on {}:{}", address == null ? "all addresses" : address, port);
    }
  }
}
