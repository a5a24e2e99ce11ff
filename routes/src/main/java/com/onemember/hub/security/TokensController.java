package com.onemember.hub.security;

import com.onemember.api.model.Token;
import com.onemember.api.model.TokenCreated;
import com.onemember.api.model.TokenList;
import com.onemember.api.model.TokenRequest;
import com.onemember.api.server.TokensApi;
import com.onemember.hub.api.ApiProblem;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/tokens}: an admin creates, lists and revokes named tokens ({@link ApiTokens}). */
@RestController
class TokensController implements TokensApi {

  private final ApiTokens tokens;

  TokensController(ApiTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public ResponseEntity<TokenCreated> createToken(TokenRequest request) {
    String by = SecurityContextHolder.getContext().getAuthentication().getName();
    Role role = Role.of(request.getRole().getValue());
    ApiTokens.Created made;
    try {
      made =
          tokens.create(
              request.getName(),
              role,
              request.getSystem(),
              request.getExpiresAt() == null ? null : request.getExpiresAt().toInstant(),
              by);
    } catch (ApiTokens.Refused e) {
      throw new ApiProblem(
          e.code().equals("name-taken") ? HttpStatus.CONFLICT : HttpStatus.BAD_REQUEST,
          e.code(),
          e.getMessage());
    }
    ApiTokens.Stored stored = made.stored();
    TokenCreated created =
        new TokenCreated()
            .token(made.secret())
            .name(stored.name())
            .role(request.getRole())
            .system(stored.system())
            .createdAt(time(stored.createdAt()))
            .createdBy(stored.createdBy())
            .expiresAt(time(stored.expiresAt()));
    return ResponseEntity.status(HttpStatus.CREATED).body(created);
  }

  @Override
  public ResponseEntity<TokenList> listTokens() {
    TokenList list = new TokenList();
    for (ApiTokens.Stored t : tokens.list()) {
      list.addItemsItem(
          new Token()
              .name(t.name())
              .role(com.onemember.api.model.Role.fromValue(t.role().wire()))
              .system(t.system())
              .createdAt(time(t.createdAt()))
              .createdBy(t.createdBy())
              .expiresAt(time(t.expiresAt()))
              .revokedAt(time(t.revokedAt()))
              .lastUsedAt(time(t.lastUsedAt())));
    }
    return ResponseEntity.ok(list);
  }

  @Override
  public ResponseEntity<Void> revokeToken(String name) {
    if (!tokens.revoke(name)) {
      throw ApiProblem.notFound("令牌 / token", name);
    }
    return ResponseEntity.noContent().build();
  }

  private static OffsetDateTime time(java.time.Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
