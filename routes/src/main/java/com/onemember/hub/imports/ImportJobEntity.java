package com.onemember.hub.imports;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/** One upload of a file by a source. */
@Entity
@Table(name = "import_job")
class ImportJobEntity {

  @Id private UUID id;

  @Column(nullable = false)
  private String source;

  @Column(name = "file_name", nullable = false)
  private String fileName;

  @Column(name = "file_sha256", nullable = false)
  private String fileSha256;

  @Column(nullable = false)
  private String format;

  private String encoding;

  @Column(name = "row_count", nullable = false)
  private int rowCount;

  @Column(name = "unmapped_columns", nullable = false, columnDefinition = "jsonb")
  @ColumnTransformer(write = "?::jsonb")
  private String unmappedColumns;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(columnDefinition = "jsonb")
  @ColumnTransformer(write = "?::jsonb")
  private String headers;

  // set by the rollback (mdm's ImportRollbacks), read here
  @Column(name = "rolled_back_at", insertable = false, updatable = false)
  private Instant rolledBackAt;

  @Column(name = "rolled_back_by", insertable = false, updatable = false)
  private String rolledBackBy;

  @Column(name = "rollback_reason", insertable = false, updatable = false)
  private String rollbackReason;

  // written by ImportService and ImportStaging through JDBC, read here
  @Column(insertable = false, updatable = false)
  private String state;

  @Column(name = "rows_read", insertable = false, updatable = false)
  private int rowsRead;

  @Column(insertable = false, updatable = false)
  private String sheet;

  @Column(name = "error_code", insertable = false, updatable = false)
  private String errorCode;

  @Column(insertable = false, updatable = false)
  private String error;

  @Column(
      name = "column_mapping",
      insertable = false,
      updatable = false,
      columnDefinition = "jsonb")
  private String columnMapping;

  protected ImportJobEntity() {}

  /** {@code reading}, {@code queued} or {@code failed}; see V17. */
  String getState() {
    return state;
  }

  /** Rows staged so far. */
  int getRowsRead() {
    return rowsRead;
  }

  String getSheet() {
    return sheet;
  }

  String getErrorCode() {
    return errorCode;
  }

  String getError() {
    return error;
  }

  /** Header to field name or IGNORE, as JSON; {@code null} for imports older than V17. */
  String getColumnMapping() {
    return columnMapping;
  }

  ImportJobEntity(
      UUID id,
      String source,
      String fileName,
      String fileSha256,
      String format,
      String encoding,
      int rowCount,
      String unmappedColumns,
      String headers,
      Instant createdAt) {
    this.headers = headers;
    this.id = id;
    this.source = source;
    this.fileName = fileName;
    this.fileSha256 = fileSha256;
    this.format = format;
    this.encoding = encoding;
    this.rowCount = rowCount;
    this.unmappedColumns = unmappedColumns;
    this.createdAt = createdAt;
  }

  /** The file's header row as JSON, in order; {@code null} for imports older than V15. */
  String getHeaders() {
    return headers;
  }

  UUID getId() {
    return id;
  }

  String getSource() {
    return source;
  }

  String getFileName() {
    return fileName;
  }

  String getFormat() {
    return format;
  }

  String getEncoding() {
    return encoding;
  }

  int getRowCount() {
    return rowCount;
  }

  String getUnmappedColumns() {
    return unmappedColumns;
  }

  Instant getCreatedAt() {
    return createdAt;
  }

  /** When the import was rolled back, or {@code null}. */
  public Instant getRolledBackAt() {
    return rolledBackAt;
  }

  public String getRolledBackBy() {
    return rolledBackBy;
  }

  public String getRollbackReason() {
    return rollbackReason;
  }
}
