package com.onemember.hub.api;

import java.io.IOException;
import java.io.InputStream;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the OpenAPI file the hub was built from, so IT staff can generate a client for the exact
 * version they run. The contract is not secret; it is public like the health endpoint.
 */
@RestController
class ContractController {

  static final String PATH = "/api/v1/openapi.yaml";

  @GetMapping(path = PATH, produces = "application/yaml")
  ResponseEntity<byte[]> contract() throws IOException {
    try (InputStream in = new ClassPathResource("openapi/onemember-api.yaml").getInputStream()) {
      return ResponseEntity.ok()
          .contentType(
              new MediaType("application", "yaml", java.nio.charset.StandardCharsets.UTF_8))
          .body(in.readAllBytes());
    }
  }
}
