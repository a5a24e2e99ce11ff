package com.onemember;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The OneMember hub. It lives in the root package so that component, entity and repository scanning
 * cover every module (mdm's store, the hub's own packages) without listing them.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class OneMemberHub {

  public static void main(String[] args) {
    SpringApplication.run(OneMemberHub.class, args);
  }
}
