package com.onemember.hub.members;

import com.onemember.api.model.CrossReference;
import com.onemember.api.model.ErasureRequest;
import com.onemember.api.model.ErasureResult;
import com.onemember.api.model.ManualMergeRequest;
import com.onemember.api.model.Member;
import com.onemember.api.model.MemberHistory;
import com.onemember.api.model.MemberList;
import com.onemember.api.model.TagRequest;
import com.onemember.api.model.UnmergeRequest;
import com.onemember.api.model.UnmergeResult;
import com.onemember.api.server.MembersApi;
import com.onemember.hub.api.ApiProblem;
import com.onemember.mdm.blocking.MatchKeys;
import com.onemember.mdm.standardize.MobileNumbers;
import com.onemember.mdm.stewardship.Erasures;
import com.onemember.mdm.stewardship.ManualMerges;
import com.onemember.mdm.stewardship.ManualTags;
import com.onemember.mdm.stewardship.StewardshipRefused;
import com.onemember.mdm.stewardship.Unmerges;
import com.onemember.mdm.store.MemberEntity;
import com.onemember.mdm.store.MemberRepository;
import com.onemember.mdm.store.SourceRecordEntity;
import com.onemember.mdm.store.SourceRecordRepository;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/members}, as the OpenAPI contract defines it. */
@RestController
class MembersController implements MembersApi {

  private final MemberRepository members;
  private final SourceRecordRepository records;
  private final MemberViews views;
  private final ServedMembers servedMembers;

  private final ManualMerges manualMerges;
  private final MemberHistories histories;
  private final Unmerges unmerges;
  private final ManualTags manualTags;
  private final Erasures erasures;
  private final com.onemember.hub.privacy.AccessLog accessLog;

  MembersController(
      MemberRepository members,
      SourceRecordRepository records,
      MemberViews views,
      ServedMembers servedMembers,
      ManualMerges manualMerges,
      MemberHistories histories,
      Unmerges unmerges,
      ManualTags manualTags,
      Erasures erasures,
      com.onemember.hub.privacy.AccessLog accessLog) {
    this.accessLog = accessLog;
    this.manualTags = manualTags;
    this.erasures = erasures;
    this.unmerges = unmerges;
    this.manualMerges = manualMerges;
    this.histories = histories;
    this.members = members;
    this.records = records;
    this.views = views;
    this.servedMembers = servedMembers;
  }

  @Override
  @Transactional(readOnly = true)
  public ResponseEntity<Member> getMember(UUID id) {
    MemberEntity member =
        members.findById(id).orElseThrow(() -> ApiProblem.notFound("会员/member", id));
    member = members.findById(member.liveId()).orElseThrow();
    if (member.getErasedAt() != null) {
      throw new ApiProblem(
          HttpStatus.GONE,
          "erased",
          "该会员的个人信息已按本人要求删除 / this member's personal data was erased at the person's"
              + " request ("
              + member.getErasedAt()
              + ")");
    }
    if (member.getWithdrawnAt() != null) {
      throw new ApiProblem(
          HttpStatus.GONE,
          "withdrawn",
          "该会员已撤销 / this member was withdrawn ("
              + member.getWithdrawnAt()
              + "): "
              + member.getWithdrawnBecause());
    }
    return ResponseEntity.ok(views.view(member));
  }

  /**
   * The member as {@link #getMember} answers it, unmasked for a steward or auditor (the privacy
   * filter leaves this answer alone), the reveal recorded with its reason in the access log.
   */
  @Override
  @Transactional
  public ResponseEntity<Member> revealMember(
      UUID id, com.onemember.api.model.RevealRequest request) {
    String reason = request.getReason() == null ? "" : request.getReason().strip();
    if (reason.isEmpty()) {
      throw new ApiProblem(
          HttpStatus.BAD_REQUEST,
          "missing-reason",
          "请说明为何需要查看个人信息 / say why the personal data is needed");
    }
    ResponseEntity<Member> member = getMember(id);
    var caller = com.onemember.hub.privacy.AccessLog.currentCaller().orElseThrow();
    accessLog.record(
        caller,
        java.util.List.of(member.getBody().getId()),
        com.onemember.hub.privacy.AccessLog.Action.REVEAL,
        "revealMember",
        reason);
    return member;
  }

  /** The page size of {@link #findMembers} when the caller names none (the contract's default). */
  private static final int DEFAULT_PAGE = 50;

  /**
   * The ids' order in every listing here: PostgreSQL's, which compares the 16 bytes unsigned (the
   * order of the ids' text). {@link UUID#compareTo} compares signed halves on Java 17, so it would
   * page the phone lookup differently from the staff lookup, which PostgreSQL sorts.
   */
  private static final Comparator<UUID> ID_ORDER =
      Comparator.comparing(UUID::getMostSignificantBits, Long::compareUnsigned)
          .thenComparing(UUID::getLeastSignificantBits, Long::compareUnsigned);

  @Override
  @Transactional(readOnly = true)
  public ResponseEntity<MemberList> findMembers(
      String phone, String servedBy, String source, UUID after, Integer limit) {
    boolean byPhone = phone != null && !phone.isBlank();
    boolean byStaff = servedBy != null && !servedBy.isBlank();
    if (byPhone == byStaff) {
      throw new ApiProblem(
          HttpStatus.BAD_REQUEST,
          "phone-or-served-by",
          "请给出手机号（phone）或员工账号（servedBy），且只给其一 / give exactly one of phone and servedBy.");
    }
    if (source != null && !source.isBlank() && !byStaff) {
      throw new ApiProblem(
          HttpStatus.BAD_REQUEST,
          "source-without-served-by",
          "来源（source）只能与员工账号（servedBy）一起使用 / source narrows a servedBy listing and is"
              + " only taken with servedBy.");
    }
    int pageSize = limit == null ? DEFAULT_PAGE : limit;
    // one more than the page, to tell whether there is a next one
    List<UUID> ids =
        byPhone
            ? membersWithPhone(phone, after, pageSize + 1)
            : servedMembers.page(
                servedBy.strip(),
                source == null || source.isBlank() ? null : source.strip(),
                after,
                pageSize + 1);
    MemberList page = new MemberList();
    if (ids.size() > pageSize) {
      ids = ids.subList(0, pageSize);
      page.next(ids.get(pageSize - 1));
    }
    return ResponseEntity.ok(
        page.items(
            ids.stream().map(id -> views.view(members.findById(id).orElseThrow())).toList()));
  }

  /** Members holding the mobile number, in {@link #ID_ORDER} after {@code after}, at most limit. */
  private List<UUID> membersWithPhone(String phone, UUID after, int limit) {
    String mobile = MobileNumbers.mobileOrNull(phone);
    if (mobile == null) {
      throw new ApiProblem(
          HttpStatus.BAD_REQUEST,
          "invalid-phone",
          "「" + phone + "」不是有效的手机号 / '" + phone + "' is not a valid mobile number.");
    }
    return records.findMemberIdsByMatchKeys(List.of(MatchKeys.mobile(mobile))).stream()
        .filter(id -> after == null || ID_ORDER.compare(id, after) > 0)
        .sorted(ID_ORDER)
        .limit(limit)
        .toList();
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
    member = members.findById(member.liveId()).orElseThrow();
    return ResponseEntity.ok(
        new CrossReference()
            .source(record.getSource())
            .sourceRecordId(record.getSourceRecordId())
            .memberId(member.getId())
            .memberVersion(member.getVersion()));
  }

  @Override
  @Transactional
  public ResponseEntity<Member> mergeMembers(UUID id, ManualMergeRequest request) {
    String reason = request.getReason() == null ? "" : request.getReason().trim();
    if (reason.isEmpty()) {
      throw new ApiProblem(
          HttpStatus.BAD_REQUEST,
          "reason-required",
          "请写明合并原因 / a reason is required, for the auditors.");
    }
    String actor = SecurityContextHolder.getContext().getAuthentication().getName();
    UUID survivor;
    try {
      survivor = manualMerges.merge(id, request.getOtherMemberId(), reason, actor);
    } catch (StewardshipRefused e) {
      throw ApiProblem.refused(e, "declared-different");
    }
    return ResponseEntity.ok(views.view(members.findById(survivor).orElseThrow()));
  }

  @Override
  @Transactional(readOnly = true)
  public ResponseEntity<MemberHistory> getMemberHistory(UUID id) {
    MemberEntity member =
        members.findById(id).orElseThrow(() -> ApiProblem.notFound("会员/member", id));
    return ResponseEntity.ok(histories.of(member.liveId()));
  }

  @Override
  @Transactional
  public ResponseEntity<UnmergeResult> unmergeMember(UUID id, UnmergeRequest request) {
    String reason = request.getReason() == null ? "" : request.getReason().trim();
    if (reason.isEmpty()) {
      throw new ApiProblem(
          HttpStatus.BAD_REQUEST,
          "reason-required",
          "请写明拆分原因 / a reason is required, for the auditors.");
    }
    String actor = SecurityContextHolder.getContext().getAuthentication().getName();
    Unmerges.Split split;
    try {
      split =
          unmerges.unmerge(
              id, request.getSourceRecords().stream().map(String::trim).toList(), reason, actor);
    } catch (StewardshipRefused e) {
      throw ApiProblem.refused(e, "cannot-unmerge");
    }
    return ResponseEntity.ok(
        new UnmergeResult()
            .remaining(views.view(members.findById(split.remaining()).orElseThrow()))
            .splitOff(views.view(members.findById(split.splitOff()).orElseThrow())));
  }

  @Override
  @Transactional
  public ResponseEntity<Member> addMemberTag(UUID id, TagRequest request) {
    String name = request.getName() == null ? "" : request.getName().strip();
    if (name.isEmpty() || name.length() > 32) {
      throw new ApiProblem(
          HttpStatus.BAD_REQUEST,
          "invalid-tag",
          "标签名须为 1 到 32 个字符 / a tag name has 1 to 32 characters.");
    }
    String actor = SecurityContextHolder.getContext().getAuthentication().getName();
    UUID tagged;
    try {
      tagged = manualTags.add(id, name, request.getNote(), actor);
    } catch (StewardshipRefused e) {
      throw ApiProblem.refused(e, "refused");
    }
    return ResponseEntity.ok(views.view(members.findById(tagged).orElseThrow()));
  }

  @Override
  @Transactional
  public ResponseEntity<Member> removeMemberTag(UUID id, String name) {
    String actor = SecurityContextHolder.getContext().getAuthentication().getName();
    UUID untagged;
    try {
      untagged = manualTags.remove(id, name, actor);
    } catch (StewardshipRefused e) {
      throw ApiProblem.refused(e, "refused");
    }
    return ResponseEntity.ok(views.view(members.findById(untagged).orElseThrow()));
  }

  @Override
  @Transactional
  public ResponseEntity<ErasureResult> eraseMember(UUID id, ErasureRequest request) {
    String reason = request.getReason() == null ? "" : request.getReason().strip();
    if (reason.isEmpty()) {
      throw new ApiProblem(
          HttpStatus.BAD_REQUEST,
          "reason-required",
          "请写明删除依据（如本人申请编号）/ a reason is required, such as the request's reference.");
    }
    String actor = SecurityContextHolder.getContext().getAuthentication().getName();
    Erasures.Erased erased;
    try {
      erased = erasures.erase(id, actor, reason);
    } catch (StewardshipRefused e) {
      throw ApiProblem.refused(e, "refused");
    }
    return ResponseEntity.ok(
        new ErasureResult()
            .memberId(erased.memberId())
            .erasedAt(erased.at().atOffset(java.time.ZoneOffset.UTC))
            .sourceRecords(erased.sourceRecords()));
  }
}
