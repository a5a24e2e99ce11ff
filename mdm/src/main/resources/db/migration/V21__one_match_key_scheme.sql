-- One key scheme (blocking.MatchKeys). Until now every record stored two keys for each phone,
-- e-mail and unionid (MOBILE:… and mobile:…, EMAIL:… and email:…, WECHAT_UNIONID:… and unionid:…)
-- and its national id twice: as a digest (NATIONAL_ID:…) and in clear text (id:…). The upper-case
-- forms stay; the lower-case duplicates go, and with them every national id held in clear text.
delete from match_key
 where key like 'mobile:%'
    or key like 'email:%'
    or key like 'unionid:%'
    or key like 'id:%';
