package com.onemember.hub;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The hub's settings under {@code onemember.*}.
 *
 * @param dataDir where embedded PostgreSQL and Artemis keep their data
 */
@Validated
@ConfigurationProperties("onemember")
public record HubProperties(
    @NotNull Path dataDir,
    @NotNull Embedded embedded,
    @NotNull Security security,
    @NotNull Imports imports,
    @NotNull Ingest ingest) {

  /** Embedded services. */
  public record Embedded(@NotNull Postgres postgres) {

    /**
     * @param port 0 picks a free port at each start
     * @param durability {@code full} (fsync and synchronous commit on, like any production
     *     database) unless a throwaway trial asks for speed over its data
     */
    public record Postgres(@Min(0) @Max(65535) int port, @NotNull Durability durability) {}

    /** What the embedded PostgreSQL promises about committed data. */
    public enum Durability {
      /** fsync, synchronous_commit and full_page_writes on: a commit survives a power cut. */
      FULL,
      /**
       * fsync and synchronous_commit off: faster, and a power cut or an OS crash may lose or
       * corrupt the data. For a trial whose data can be thrown away, never for members kept.
       */
      THROWAWAY_TRIAL
    }
  }

  /**
   * @param adminToken the first admin token; blank means generate one (embedded defaults only)
   * @param failedTokenLimit unknown tokens one address may present per {@code failedTokenWindow};
   *     past it the address is answered 429 without a look at its tokens until the window ends
   * @param failedTokenWindow the window the failures are counted in
   */
  public record Security(
      String adminToken, @Min(1) int failedTokenLimit, @NotNull Duration failedTokenWindow) {}

  /**
   * @param maxFileSize largest upload accepted; larger ones get 413 naming this limit
   * @param maxRows most data rows one file may hold
   * @param dropFolder a directory whose subdirectories are named after sources: files put there are
   *     imported and moved to done/ or failed/ with their report; blank for none
   */
  public record Imports(@NotNull DataSize maxFileSize, @Min(1) int maxRows, String dropFolder) {}

  /**
   * @param consumers competing consumers of onemember.inbound in this instance
   * @param chunkRows import rows per message, decided in order and written in one transaction
   *     ({@code BulkLoad})
   * @param groupSize most records that arrive one message each (a connector's) loaded in one
   *     transaction ({@code GroupCommit}); at most {@code consumers}, since each consumer brings
   *     one
   * @param groupWait how long the first record of a group waits for others to join it
   */
  public record Ingest(
      @Min(1) @Max(64) int consumers,
      @Min(1) @Max(20000) int chunkRows,
      @Min(1) @Max(64) int groupSize,
      @NotNull Duration groupWait) {}
}
