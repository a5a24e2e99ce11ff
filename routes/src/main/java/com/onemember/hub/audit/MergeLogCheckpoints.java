package com.onemember.hub.audit;

import com.onemember.connectors.frame.JsonDocuments;
import com.onemember.mdm.audit.ChainAnchor;
import com.onemember.mdm.audit.MergeLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signed checkpoints of the merge log's hash chain, kept in a file outside the database: each line
 * says which position was the head, with what hash, when, signed with the {@link MergeLogKey}.
 * Whoever rewrites entries and recomputes every hash after them, or deletes the newest entries,
 * leaves a chain that is consistent in itself; only such an outside record still shows it.
 *
 * <p>A checkpoint is written only after the entries added since the previous one were checked
 * ({@link MergeLog#verifySince}): the hub never signs a head that does not continue what it signed
 * before. Lines are appended and forced to disk, never rewritten.
 */
public final class MergeLogCheckpoints {

  private static final Logger log = LoggerFactory.getLogger(MergeLogCheckpoints.class);

  /**
   * One line of the checkpoint file.
   *
   * @param position the chain position of the head
   * @param hash that entry's hash
   * @param at when it was signed
   * @param key the signing key's id ({@link MergeLogKey#id})
   * @param signature Ed25519 over {@link #signed()}, Base64
   */
  public record Checkpoint(long position, String hash, Instant at, String key, String signature) {

    /** The bytes the signature covers. */
    byte[] signed() {
      return ("onemember merge-log checkpoint v1\n" + position + "\n" + hash + "\n" + at)
          .getBytes(StandardCharsets.UTF_8);
    }

    ChainAnchor anchor() {
      return new ChainAnchor(position, hash, at);
    }
  }

  /**
   * What the checkpoint file holds.
   *
   * @param checkpoints the lines signed by this hub's key, in file order
   * @param problems lines that are not, each named by its line number
   */
  public record Reading(List<Checkpoint> checkpoints, List<String> problems) {

    public Optional<Checkpoint> latest() {
      return checkpoints.isEmpty()
          ? Optional.empty()
          : Optional.of(checkpoints.get(checkpoints.size() - 1));
    }
  }

  /** The chain does not verify, or no longer continues the last checkpoint: nothing is signed. */
  public static final class ChainBroken extends RuntimeException {
    private final transient MergeLog.Verification verification;

    ChainBroken(MergeLog.Verification verification) {
      super(
          "合并日志校验未通过，不签署新的检查点 / The merge log does not verify against itself and its"
              + " last checkpoint; no checkpoint is signed: position "
              + verification.firstBadPosition()
              + ": "
              + verification.problem());
      this.verification = verification;
    }

    public MergeLog.Verification verification() {
      return verification;
    }
  }

  private final MergeLog mergeLog;
  private final MergeLogKey key;
  private final Path file;
  private final Clock clock;
  private Checkpoint last;

  MergeLogCheckpoints(MergeLog mergeLog, MergeLogKey key, Path file, Clock clock) {
    this.mergeLog = mergeLog;
    this.key = key;
    this.file = file;
    this.clock = clock;
    this.last = newest();
  }

  /**
   * Signs the chain's head into the file, after checking what was added since the last checkpoint
   * (the whole chain, for the first). With {@code always} false (the timer), a head that has not
   * moved is not signed again.
   *
   * @return the checkpoint that now anchors the head; empty when the log has no entry yet
   * @throws ChainBroken when the chain does not continue the last checkpoint
   */
  public synchronized Optional<Checkpoint> write(boolean always) {
    // the first checkpoint vouches for the whole chain, each later one for what was added since;
    // the head signed is the one the check ended at
    MergeLog.Verification checked =
        last == null ? mergeLog.verify() : mergeLog.verifySince(last.anchor());
    verified(checked.ok());
    if (!checked.ok()) {
      throw new ChainBroken(checked);
    }
    if (checked.headPosition() == null) {
      return Optional.empty();
    }
    if (!always
        && last != null
        && last.position() == checked.headPosition()
        && last.hash().equals(checked.headHash())) {
      return Optional.of(last);
    }
    Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
    Checkpoint unsigned =
        new Checkpoint(checked.headPosition(), checked.headHash(), at, key.id(), null);
    Checkpoint signed =
        new Checkpoint(
            unsigned.position(), unsigned.hash(), at, key.id(), key.sign(unsigned.signed()));
    append(signed);
    last = signed;
    return Optional.of(signed);
  }

  /**
   * The chain checked against itself and against every validly signed checkpoint; lines of the file
   * that are not validly signed make the answer not ok even when the chain fits, since the record
   * kept outside the database was tampered with.
   *
   * @param verification the chain's
   * @param reading the checkpoint file's
   */
  public record Checked(MergeLog.Verification verification, Reading reading) {

    public boolean ok() {
      return verification.ok() && reading.problems().isEmpty();
    }

    /** The chain's problem first, then the file's. */
    public String problem() {
      if (!verification.ok()) {
        return verification.problem();
      }
      return reading.problems().isEmpty()
          ? null
          : String.join("; ", reading.problems()) + " / 检查点文件有被改动或来源不明的行";
    }
  }

  /** What {@code GET /api/v1/merge-log/verify} answers. */
  public Checked verify() {
    Reading reading = read();
    Checked checked =
        new Checked(
            mergeLog.verify(reading.checkpoints().stream().map(Checkpoint::anchor).toList()),
            reading);
    verified(checked.ok());
    return checked;
  }

  private volatile Boolean lastVerified;
  private final java.util.concurrent.atomic.AtomicLong failedVerifications =
      new java.util.concurrent.atomic.AtomicLong();

  private void verified(boolean ok) {
    lastVerified = ok;
    if (!ok) {
      failedVerifications.incrementAndGet();
    }
  }

  /**
   * Whether the last check of the chain on this hub passed (the checkpoint timer's, or a verify an
   * auditor asked for); null before the first.
   */
  public Boolean lastVerified() {
    return lastVerified;
  }

  /** Checks of the chain on this hub that failed since it started. */
  public long failedVerifications() {
    return failedVerifications.get();
  }

  /** Every line of the file, checked against this hub's key. */
  public Reading read() {
    List<Checkpoint> good = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    List<String> lines = lines();
    for (int n = 1; n <= lines.size(); n++) {
      Checkpoint c = checked(n, lines.get(n - 1), problems);
      if (c != null) {
        good.add(c);
      }
    }
    return new Reading(good, problems);
  }

  /**
   * The newest validly signed line: what the next checkpoint continues. Read from the end, so that
   * a start does not check the signature of every line a year of checkpoints left.
   */
  private Checkpoint newest() {
    List<String> lines = lines();
    for (int n = lines.size(); n >= 1; n--) {
      Checkpoint c = checked(n, lines.get(n - 1), new ArrayList<>());
      if (c != null) {
        return c;
      }
    }
    return null;
  }

  /**
   * Line {@code n} as a checkpoint signed with this hub's key, or null (blank, or not one, in which
   * case {@code problems} says why).
   */
  private Checkpoint checked(int n, String line, List<String> problems) {
    if (line.isBlank()) {
      return null;
    }
    Checkpoint c;
    try {
      c = JsonDocuments.JSON.readValue(line, Checkpoint.class);
    } catch (RuntimeException notJson) {
      problems.add(lineProblem(n, "is not a checkpoint / 不是检查点"));
      return null;
    }
    if (c.signature() == null || c.hash() == null || c.at() == null) {
      problems.add(lineProblem(n, "is incomplete / 内容不全"));
    } else if (!key.id().equals(c.key())) {
      problems.add(
          lineProblem(
              n,
              "was signed with another key ("
                  + c.key()
                  + "; this hub's is "
                  + key.id()
                  + ") / 由另一把密钥签署"));
    } else if (!key.verifies(c.signed(), c.signature())) {
      problems.add(lineProblem(n, "does not carry a valid signature: it was altered / 签名无效：已被改动"));
    } else {
      return c;
    }
    return null;
  }

  private List<String> lines() {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The file's location, for messages. */
  public Path file() {
    return file;
  }

  private String lineProblem(int line, String what) {
    return "line " + line + " of the checkpoint file " + file + " " + what;
  }

  private void append(Checkpoint c) {
    byte[] line =
        (JsonDocuments.JSON.writeValueAsString(c) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      try (FileChannel out =
          FileChannel.open(
              file,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND)) {
        ByteBuffer buffer = ByteBuffer.wrap(line);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the checkpoint to " + file, e);
    }
    log.debug("Merge log checkpoint: position {} signed into {}", c.position(), file);
  }
}
