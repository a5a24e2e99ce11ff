package com.onemember.hub.api;

import com.onemember.api.model.ApiError;
import com.onemember.mdm.store.RecordJson;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Turns every failure into the contract's {@link ApiError} JSON. */
@RestControllerAdvice
public class ApiErrors {

  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

  private final DataSize maxFileSize;

  public ApiErrors(@Value("${onemember.imports.max-file-size}") DataSize maxFileSize) {
    this.maxFileSize = maxFileSize;
  }

  @ExceptionHandler(ApiProblem.class)
  ResponseEntity<ApiError> problem(ApiProblem p) {
    if (p.retryAfter() != null) {
      return ResponseEntity.status(p.status())
          .header("Retry-After", Long.toString(Math.max(1, p.retryAfter().toSeconds())))
          .contentType(MediaType.APPLICATION_JSON)
          .body(error(p.status(), p.code(), p.getMessage()));
    }
    return body(p.status(), p.code(), p.getMessage());
  }

  @ExceptionHandler(MaxUploadSizeExceededException.class)
  ResponseEntity<ApiError> tooLarge(MaxUploadSizeExceededException e) {
    String limit = readable(maxFileSize);
    return body(
        HttpStatus.CONTENT_TOO_LARGE,
        "file-too-large",
        "文件超过上传上限 "
            + limit
            + "，请拆分后再上传 / The file exceeds the upload limit of "
            + limit
            + "; split it and upload the parts.");
  }

  @ExceptionHandler({
    MissingServletRequestPartException.class,
    MissingServletRequestParameterException.class
  })
  ResponseEntity<ApiError> missing(Exception e) {
    String name =
        e instanceof MissingServletRequestPartException p
            ? p.getRequestPartName()
            : ((MissingServletRequestParameterException) e).getParameterName();
    return body(
        HttpStatus.BAD_REQUEST,
        "missing-parameter",
        "缺少参数「" + name + "」/ The request has no '" + name + "' part or parameter.");
  }

  @ExceptionHandler(HandlerMethodValidationException.class)
  ResponseEntity<ApiError> invalid(HandlerMethodValidationException e) {
    return invalidParameters(
        e.getParameterValidationResults().stream()
            .map(
                r ->
                    new Violation(
                        r.getMethodParameter().getParameterName(),
                        r.getResolvableErrors().stream()
                            .map(
                                org.springframework.context.MessageSourceResolvable
                                    ::getDefaultMessage)
                            .collect(java.util.stream.Collectors.joining(", ")),
                        r.getArgument()))
            .toList());
  }

  /** A JSON request body whose fields break the contract (a missing or too long note, say). */
  @ExceptionHandler(org.springframework.web.bind.MethodArgumentNotValidException.class)
  ResponseEntity<ApiError> invalidBody(
      org.springframework.web.bind.MethodArgumentNotValidException e) {
    String fields =
        e.getBindingResult().getFieldErrors().stream()
            .map(f -> f.getField() + ": " + f.getDefaultMessage())
            .sorted()
            .collect(java.util.stream.Collectors.joining("; "));
    return body(
        HttpStatus.BAD_REQUEST,
        "invalid-body",
        "请求内容不正确（" + fields + "）/ The request body is not valid: " + fields + ".");
  }

  /** A request body that is not JSON, or names a value the contract does not know. */
  @ExceptionHandler(org.springframework.http.converter.HttpMessageNotReadableException.class)
  ResponseEntity<ApiError> unreadableBody(Exception e) {
    // a value outside an enumeration (a mapping field such as PHONE_NUMBER) is named with the
    // values that are accepted, so the caller can correct it without reading the contract
    String unknown = null;
    String enumeration = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage();
      java.util.regex.Matcher value = UNEXPECTED_VALUE.matcher(message);
      if (unknown == null && value.find()) {
        unknown = value.group(1);
      }
      java.util.regex.Matcher type = ENUM_TYPE.matcher(message);
      if (enumeration == null && type.find()) {
        enumeration = type.group(1);
      }
    }
    if (unknown != null) {
      String accepted = acceptedValues(enumeration);
      return body(
          HttpStatus.BAD_REQUEST,
          "unreadable-body",
          "「%s」不是可接受的值%s / '%s' is not an accepted value%s"
              .formatted(
                  unknown,
                  accepted.isEmpty() ? "" : "，可用的值：" + accepted,
                  unknown,
                  accepted.isEmpty() ? "" : "; accepted: " + accepted));
    }
    return body(
        HttpStatus.BAD_REQUEST,
        "unreadable-body",
        "请求内容无法读取，请按接口文档发送 JSON / The request body could not be read: send JSON as"
            + " the API contract describes.");
  }

  /** The generated models' message for a string that names none of their constants. */
  private static final java.util.regex.Pattern UNEXPECTED_VALUE =
      java.util.regex.Pattern.compile("Unexpected value '([^']{0,100})'");

  /** Jackson names the type it could not build: {@code `com.onemember.api.model.X`}. */
  private static final java.util.regex.Pattern ENUM_TYPE =
      java.util.regex.Pattern.compile("`(com\\.onemember\\.api\\.model\\.[A-Za-z]+)`");

  /** The constants of one of the contract's enumerations, or "" when it is not one. */
  private static String acceptedValues(String className) {
    if (className == null) {
      return "";
    }
    try {
      Object[] constants = Class.forName(className).getEnumConstants();
      return constants == null ? "" : java.util.Arrays.toString(constants);
    } catch (ClassNotFoundException | LinkageError e) {
      return "";
    }
  }

  /** Thrown by method validation of the generated, {@code @Validated} API interfaces. */
  @ExceptionHandler(ConstraintViolationException.class)
  ResponseEntity<ApiError> invalid(ConstraintViolationException e) {
    return invalidParameters(
        e.getConstraintViolations().stream()
            .map(
                v ->
                    new Violation(
                        v.getPropertyPath().toString().replaceFirst("^.*\\.", ""),
                        v.getMessage(),
                        v.getInvalidValue()))
            .toList());
  }

  /** One parameter the contract refuses: its name, the rule it breaks, the value given. */
  private record Violation(String name, String rule, Object given) {

    String text() {
      String hint =
          "source".equals(name)
              ? "lower-case letters, digits, '-', '.', '_', e.g. pos-store-12"
              : rule;
      return name + ": " + hint + (given == null ? "" : " (given: " + given + ")");
    }
  }

  private static ResponseEntity<ApiError> invalidParameters(java.util.List<Violation> violations) {
    String which =
        violations.stream()
            .map(Violation::name)
            .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new))
            .toString()
            .replaceAll("^\\[|\\]$", "");
    String why =
        violations.stream()
            .map(Violation::text)
            .sorted()
            .collect(java.util.stream.Collectors.joining("; "));
    return body(
        HttpStatus.BAD_REQUEST,
        "invalid-parameter",
        "参数「" + which + "」不正确（" + why + "）/ Parameter '" + which + "' is not valid: " + why + ".");
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ApiError> mismatch(MethodArgumentTypeMismatchException e) {
    return body(
        HttpStatus.BAD_REQUEST,
        "invalid-parameter",
        "参数「" + e.getName() + "」格式不正确 / Parameter '" + e.getName() + "' is not valid.");
  }

  @ExceptionHandler(MultipartException.class)
  ResponseEntity<ApiError> notMultipart(MultipartException e) {
    return body(
        HttpStatus.BAD_REQUEST,
        "not-multipart",
        "请用 multipart/form-data 上传，字段 file 和 source / Upload as multipart/form-data with the"
            + " fields 'file' and 'source'.");
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException e) {
    return body(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        "unsupported-media-type",
        "不支持的内容类型 / Unsupported content type " + e.getContentType() + ".");
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException e) {
    return body(
        HttpStatus.METHOD_NOT_ALLOWED,
        "method-not-allowed",
        "不支持 " + e.getMethod() + " 方法 / Method " + e.getMethod() + " is not allowed here.");
  }

  @ExceptionHandler(NoResourceFoundException.class)
  ResponseEntity<ApiError> noResource(NoResourceFoundException e) {
    return body(
        HttpStatus.NOT_FOUND, "not-found", "没有这个地址 / Nothing at /" + e.getResourcePath() + ".");
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ApiError> unexpected(Exception e) {
    log.error("Unexpected error answering a request", e);
    return body(
        HttpStatus.INTERNAL_SERVER_ERROR,
        "internal-error",
        "服务器内部错误，请查看日志 / Internal error; the hub's log has the details.");
  }

  /** 20 MB, 256 KB or 1000 bytes: the unit a person would write. */
  static String readable(DataSize size) {
    long bytes = size.toBytes();
    if (bytes % (1024 * 1024) == 0) {
      return size.toMegabytes() + " MB";
    }
    return bytes % 1024 == 0 ? size.toKilobytes() + " KB" : bytes + " bytes";
  }

  private static ResponseEntity<ApiError> body(HttpStatus status, String code, String message) {
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_JSON)
        .body(error(status, code, message));
  }

  private static ApiError error(HttpStatus status, String code, String message) {
    return new ApiError().status(status.value()).code(code).message(message);
  }

  /** Writes an error outside Spring MVC, e.g. from the security filter chain. */
  public static void write(
      HttpServletResponse response, HttpStatus status, String code, String message)
      throws IOException {
    response.setStatus(status.value());
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.getWriter().write(RecordJson.write(error(status, code, message)));
  }
}
