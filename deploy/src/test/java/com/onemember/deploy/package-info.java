/**
 * Checks of the deployment files under {@code deploy/}: the Helm chart is linted and rendered by
 * the real Helm (embedded through helm-java) and every rendered object is read strictly into the
 * Kubernetes API types; {@code compose.yaml} is validated against the Compose Specification's JSON
 * Schema; both {@code broker.xml} files are read by Artemis' own configuration parser after its
 * XSD; the Dockerfile is parsed into its instructions. Nothing here starts a container, a broker or
 * a cluster: the tests read files, so they run on any machine with a JDK, and what they cannot see
 * (an image that builds, pods that become ready) is listed in {@code deploy/README.md}.
 */
package com.onemember.deploy;
