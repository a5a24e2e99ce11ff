package com.onemember.hub.imports;

import com.onemember.mdm.store.RecordJson;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Saved mapping templates: per source, header to the field it holds (or {@code IGNORE}). A store's
 * exports keep their shape for years, so what staff confirmed once after a preview maps every later
 * upload from that source, drop-folder files included; headers a template does not name are mapped
 * by their names as before.
 */
@Component
class MappingTemplates {

  /** A saved template. */
  record Template(
      String source, Map<String, String> mapping, Instant updatedAt, String updatedBy) {}

  private final JdbcTemplate jdbc;
  private final Clock clock;

  MappingTemplates(JdbcTemplate jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** The source's header choices; empty when it has no template. */
  Map<String, String> find(String source) {
    return get(source).map(Template::mapping).orElse(Map.of());
  }

  Optional<Template> get(String source) {
    List<Template> found =
        jdbc.query(
            "select source, mapping::text, updated_at, updated_by from import_mapping_template"
                + " where source = ?",
            (rs, i) ->
                new Template(
                    rs.getString(1),
                    new LinkedHashMap<>(RecordJson.raw(rs.getString(2))),
                    rs.getTimestamp(3).toInstant(),
                    rs.getString(4)),
            source);
    return found.stream().findFirst();
  }

  Template save(String source, Map<String, String> mapping, String actor) {
    Instant now = clock.instant();
    jdbc.update(
        "insert into import_mapping_template (source, mapping, updated_at, updated_by)"
            + " values (?, ?::jsonb, ?, ?) on conflict (source) do update set"
            + " mapping = excluded.mapping, updated_at = excluded.updated_at,"
            + " updated_by = excluded.updated_by",
        source,
        RecordJson.write(mapping),
        Timestamp.from(now),
        actor);
    return new Template(source, mapping, now, actor);
  }

  boolean delete(String source) {
    return jdbc.update("delete from import_mapping_template where source = ?", source) > 0;
  }
}
