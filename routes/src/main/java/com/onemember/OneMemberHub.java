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
    // a command for a running hub (java -jar onemember-hub.jar match-model ...), not a hub
    if (args.length > 0 && args[0].equals("match-model")) {
      System.exit(
          com.onemember.hub.matchmodels.MatchModelCommand.run(
              java.util.Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
    }
    SpringApplication.run(OneMemberHub.class, args);
  }
}
