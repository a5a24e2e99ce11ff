package com.onemember.hub.imports;

import com.onemember.api.model.ColumnChoice;
import com.onemember.api.model.ImportPreview;
import com.onemember.api.model.MemberFieldChoice;
import com.onemember.api.model.PreviewRow;
import com.onemember.canonical.Address;
import com.onemember.canonical.Identifier;
import com.onemember.canonical.SourceRecord;
import com.onemember.connectors.spreadsheet.ColumnMapping;
import com.onemember.connectors.spreadsheet.MemberColumns;
import com.onemember.connectors.spreadsheet.MemberField;
import com.onemember.connectors.spreadsheet.MemberRowMapper;
import com.onemember.connectors.spreadsheet.SheetRow;
import com.onemember.connectors.spreadsheet.SheetStream;
import com.onemember.connectors.spreadsheet.UnreadableFileException;
import com.onemember.hub.api.ApiProblem;
import com.onemember.mdm.standardize.RecordStandardizer;
import com.onemember.mdm.standardize.StandardizedRecord;
import com.onemember.mdm.store.RecordJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Previews: an upload read as an import would read it, with nothing imported, so that staff see
 * what each column is taken to mean, which rows would be refused (those where nothing identifies a
 * person) and which would be kept with a value left out, before a million rows go in. The file is
 * kept under the preview's id for {@link #KEPT}, so a corrected mapping can be seen and the import
 * confirmed without sending the file again. Kept on this hub's disk: in a cluster, preview and
 * confirm on the same instance.
 */
@Service
class ImportPreviews {

  static final Duration KEPT = Duration.ofHours(24);
  static final int SAMPLE_ROWS = 20;
  static final int ROWS_CHECKED = 10_000;
  static final int REJECTED_SHOWN = 100;

  /** What is kept beside a preview's file. */
  record Kept(
      String source,
      String fileName,
      String sheet,
      Map<String, String> chosen,
      Instant createdAt) {}

  private final ImportService imports;
  private final MappingTemplates templates;
  private final RecordStandardizer standardizer = new RecordStandardizer();
  private final Path dir;
  private final Clock clock;

  ImportPreviews(ImportService imports, MappingTemplates templates, Clock clock) {
    this.imports = imports;
    this.templates = templates;
    this.dir = imports.workDir().resolve("previews");
    this.clock = clock;
  }

  ImportPreview create(String source, String fileName, Path upload, String sheet) {
    forgetExpired();
    UUID id = UUID.randomUUID();
    Kept kept =
        new Kept(
            source,
            fileName == null || fileName.isBlank() ? "upload" : fileName,
            sheet == null || sheet.isBlank() ? null : sheet.strip(),
            Map.of(),
            clock.instant());
    try {
      Files.createDirectories(dir);
      Files.copy(upload, file(id), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      ImportPreview preview = read(id, kept);
      write(id, kept);
      return preview;
    } catch (RuntimeException e) {
      ImportStaging.deleteQuietly(file(id));
      throw e;
    }
  }

  ImportPreview get(UUID id) {
    return read(id, kept(id));
  }

  /** Headers named in {@code choices} take the field given; the others keep theirs. */
  ImportPreview correct(UUID id, List<ColumnChoice> choices) {
    Kept kept = kept(id);
    Map<String, String> chosen = new LinkedHashMap<>(kept.chosen());
    chosen.putAll(choices(choices));
    Kept corrected =
        new Kept(kept.source(), kept.fileName(), kept.sheet(), chosen, kept.createdAt());
    ImportPreview preview = read(id, corrected);
    write(id, corrected);
    return preview;
  }

  /** Starts the import of a previewed file with the preview's mapping; the preview is used up. */
  ImportService.Started confirm(UUID id, boolean saveAsTemplate, String actor) {
    Kept kept = kept(id);
    // the import applies the source's template and the choices itself, as the preview did
    ImportService.Started started =
        imports.begin(kept.source(), kept.fileName(), file(id), kept.sheet(), kept.chosen());
    if (saveAsTemplate) {
      templates.save(kept.source(), imports.mappingOf(started.id()), actor);
    }
    ImportStaging.deleteQuietly(file(id));
    ImportStaging.deleteQuietly(meta(id));
    return started;
  }

  /** Parses a request's choices, refusing a header given twice. */
  static Map<String, String> choices(List<ColumnChoice> choices) {
    Map<String, String> chosen = new LinkedHashMap<>();
    for (ColumnChoice c : choices == null ? List.<ColumnChoice>of() : choices) {
      if (c.getHeader() == null || c.getField() == null) {
        throw new ApiProblem(
            HttpStatus.BAD_REQUEST,
            "invalid-mapping",
            "每一项都要有 header 和 field / every choice needs a header and a field.");
      }
      if (chosen.put(c.getHeader(), c.getField().getValue()) != null) {
        throw new ApiProblem(
            HttpStatus.BAD_REQUEST,
            "invalid-mapping",
            "表头「%s」出现了两次 / header '%s' is given twice.".formatted(c.getHeader(), c.getHeader()));
      }
    }
    return chosen;
  }

  /** The choices as the API shows them, with who decided each. */
  static List<ColumnChoice> shown(
      ColumnMapping mapping, Map<String, String> chosen, Map<String, String> template) {
    List<ColumnChoice> shown = new ArrayList<>();
    Map<String, String> stored = ImportService.stored(mapping);
    stored.forEach(
        (header, field) ->
            shown.add(
                new ColumnChoice()
                    .header(header)
                    .field(MemberFieldChoice.fromValue(field))
                    .decidedBy(
                        chosen.containsKey(header)
                            ? ColumnChoice.DecidedByEnum.CHOSEN
                            : template.containsKey(header)
                                ? ColumnChoice.DecidedByEnum.TEMPLATE
                                : ColumnChoice.DecidedByEnum.HEADER)));
    return shown;
  }

  private ImportPreview read(UUID id, Kept kept) {
    Map<String, String> template = templates.find(kept.source());
    try (SheetStream rows = open(id, kept)) {
      ColumnMapping mapping =
          ImportService.suggestion(rows.headers(), imports.choices(kept.source(), kept.chosen()));
      boolean canImport = mapping.fields().values().stream().anyMatch(MemberField::identifies);
      ImportPreview preview =
          new ImportPreview()
              .id(id)
              .source(kept.source())
              .fileName(kept.fileName())
              .format(ImportPreview.FormatEnum.fromValue(rows.format().name()))
              .encoding(rows.encoding())
              .sheet(rows.sheetName())
              .sheets(rows.sheetNames())
              .rowsEstimate(rows.rowsEstimate() < 0 ? null : rows.rowsEstimate())
              .headers(rows.headers())
              .mapping(shown(mapping, kept.chosen(), template))
              .unmappedColumns(mapping.unmapped())
              .canImport(canImport)
              .expiresAt(kept.createdAt().plus(KEPT).atOffset(ZoneOffset.UTC));
      if (!canImport) {
        preview.problem(MemberColumns.noKnownColumn(rows.headers()));
      }
      int rejected = 0;
      int warned = 0;
      Instant now = clock.instant();
      for (SheetRow row = rows.next(); row != null; row = rows.next()) {
        PreviewRow shown = new PreviewRow().row(row.number()).cells(row.cells());
        // as an import settles the row: the cells' warnings first, then the standardizer's
        List<String> warnings = new ArrayList<>(row.warnings());
        List<String> errors = new ArrayList<>();
        if (canImport) {
          SourceRecord record = MemberRowMapper.toSourceRecord(kept.source(), mapping, row);
          RecordStandardizer.Outcome outcome = standardizer.standardize(record, now);
          if (outcome instanceof RecordStandardizer.Accepted a) {
            shown.standardized(standardized(a.record()));
            a.warnings().forEach(p -> warnings.add(p.message()));
          } else if (outcome instanceof RecordStandardizer.Refused r) {
            r.problems().forEach(p -> errors.add(p.message()));
          }
        }
        shown.errors(errors).warnings(warnings);
        if (row.number() <= SAMPLE_ROWS) {
          preview.addSampleRowsItem(shown);
        }
        if (!errors.isEmpty()) {
          rejected++;
          if (rejected <= REJECTED_SHOWN) {
            preview.addRejectedRowsItem(shown);
          }
        } else if (!warnings.isEmpty()) {
          warned++;
        }
        if (row.number() == ROWS_CHECKED) {
          break;
        }
      }
      if (preview.getSampleRows() == null) {
        preview.sampleRows(List.of());
      }
      if (preview.getRejectedRows() == null) {
        preview.rejectedRows(List.of());
      }
      return preview.rowsChecked(rows.rowsRead()).rejectedCount(rejected).warningCount(warned);
    } catch (UnreadableFileException e) {
      throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, e.code(), e.getMessage());
    }
  }

  /** The values as matching sees them, for staff to check the mapping against. */
  private static Map<String, String> standardized(StandardizedRecord r) {
    Map<String, String> out = new LinkedHashMap<>();
    if (r.name() != null) {
      out.put("name", r.name().display());
    }
    out.put("gender", r.effectiveGender().name());
    if (r.birthday() != null) {
      out.put("birthday", r.birthday().toString());
    }
    Map<String, String> ids =
        r.identifiers().stream()
            .collect(
                Collectors.groupingBy(
                    i -> i.type().name().toLowerCase(java.util.Locale.ROOT),
                    LinkedHashMap::new,
                    Collectors.mapping(Identifier::value, Collectors.joining(", "))));
    out.putAll(ids);
    if (!r.maskedMobiles().isEmpty()) {
      out.put("maskedMobile", String.join(", ", r.maskedMobiles()));
    }
    if (!r.addresses().isEmpty()) {
      out.put(
          "address",
          r.addresses().stream().map(ImportPreviews::address).collect(Collectors.joining(" | ")));
    }
    return out;
  }

  private static String address(Address a) {
    return java.util.stream.Stream.of(a.province(), a.city(), a.district(), a.line())
        .filter(s -> s != null && !s.isBlank())
        .collect(Collectors.joining(" "));
  }

  private SheetStream open(UUID id, Kept kept) throws UnreadableFileException {
    return imports.open(file(id), kept.fileName(), kept.sheet());
  }

  private Kept kept(UUID id) {
    Path meta = meta(id);
    if (!Files.isRegularFile(meta) || !Files.isRegularFile(file(id))) {
      throw ApiProblem.notFound("预览/preview", id);
    }
    try {
      Kept kept = RecordJson.mapper().readValue(meta.toFile(), Kept.class);
      if (kept.createdAt().plus(KEPT).isBefore(clock.instant())) {
        throw ApiProblem.notFound("预览/preview", id);
      }
      return kept;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void write(UUID id, Kept kept) {
    try {
      RecordJson.mapper().writeValue(meta(id).toFile(), kept);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Previews older than {@link #KEPT} are deleted when the next one is made. */
  private void forgetExpired() {
    if (!Files.isDirectory(dir)) {
      return;
    }
    Instant cutoff = clock.instant().minus(KEPT);
    try (var files = Files.list(dir)) {
      files
          .filter(
              f -> {
                try {
                  return Files.getLastModifiedTime(f).toInstant().isBefore(cutoff);
                } catch (IOException e) {
                  return false;
                }
              })
          .forEach(ImportStaging::deleteQuietly);
    } catch (IOException e) {
      // an expired preview left on disk is harmless; it is tried again next time
    }
  }

  private Path file(UUID id) {
    return dir.resolve(id + ".upload");
  }

  private Path meta(UUID id) {
    return dir.resolve(id + ".json");
  }
}
