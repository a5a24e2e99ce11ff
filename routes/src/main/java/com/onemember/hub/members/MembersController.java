package com.onemember.hub.members;

import com.onemember.api.model.CrossReference;
import com.onemember.api.model.Member;
import com.onemember.api.model.MemberList;
import com.onemember.api.server.MembersApi;
import com.onemember.canonical.IdentifierType;
import com.onemember.hub.api.ApiProblem;
import com.onemember.mdm.matching.MatchKeys;
import com.onemember.mdm.standardize.MobileNumbers;
import com.onemember.mdm.store.MemberEntity;
import com.onemember.mdm.store.MemberRepository;
import com.onemember.mdm.store.SourceRecordEntity;
import com.onemember.mdm.store.SourceRecordRepository;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/members}, as the OpenAPI contract defines it. */
@RestController
class MembersController implements MembersApi {

  private final MemberRepository members;
  private final SourceRecordRepository records;
  private final MemberViews views;

  MembersController(MemberRepository members, SourceRecordRepository records, MemberViews views) {
    this.members = members;
    this.records = records;
    this.views = views;
  }

  @Override
  @Transactional(readOnly = true)
  public ResponseEntity<Member> getMember(UUID id) {
    MemberEntity member =
        members.findById(id).orElseThrow(() -> ApiProblem.notFound("会员/member", id));
    if (member.getMergedInto() != null) {
      member = members.findById(member.getMergedInto()).orElseThrow();
    }
    return ResponseEntity.ok(views.view(member));
  }

  @Override
  @Transactional(readOnly = true)
  public ResponseEntity<MemberList> findMembers(String phone) {
    String mobile = MobileNumbers.mobileOrNull(phone);
    if (mobile == null) {
      throw new ApiProblem(
          HttpStatus.BAD_REQUEST,
          "invalid-phone",
          "「" + phone + "」不是有效的手机号 / '" + phone + "' is not a valid mobile number.");
    }
    String key = MatchKeys.of(com.onemember.canonical.Identifier.of(IdentifierType.MOBILE, mobile));
    List<Member> found =
        records.findMemberIdsByMatchKeys(List.of(key)).stream()
            .sorted()
            .map(id -> views.view(members.findById(id).orElseThrow()))
            .toList();
    return ResponseEntity.ok(new MemberList().items(found));
  }

  @Override
  @Transactional(readOnly = true)
  public ResponseEntity<CrossReference> crossReference(String source, String sourceRecordId) {
    SourceRecordEntity record =
        records
            .findBySourceAndSourceRecordId(source.trim(), sourceRecordId.trim())
            .orElseThrow(
                () -> ApiProblem.notFound("源记录/source record", source + ":" + sourceRecordId));
    MemberEntity member = members.findById(record.getMemberId()).orElseThrow();
    if (member.getMergedInto() != null) {
      member = members.findById(member.getMergedInto()).orElseThrow();
    }
    return ResponseEntity.ok(
        new CrossReference()
            .source(record.getSource())
            .sourceRecordId(record.getSourceRecordId())
            .memberId(member.getId())
            .memberVersion(member.getVersion()));
  }
}
