package com.onemember.hub.support;

import com.onemember.api.client.MembersApi;
import com.onemember.api.client.invoker.ApiClient;
import com.onemember.api.client.invoker.ApiException;
import com.onemember.api.client.model.MemberList;

/**
 * The generated members client with the phone lookup the tests use everywhere by its short name:
 * {@code GET /api/v1/members} has optional staff and paging parameters, so the generated method
 * takes five arguments, four of them {@code null} for a phone.
 */
public class MembersClient extends MembersApi {

  public MembersClient(ApiClient client) {
    super(client);
  }

  /** The members holding {@code phone}: the first page, as many as a phone ever has. */
  public MemberList findMembers(String phone) throws ApiException {
    return findMembers(phone, null, null, null, null);
  }
}
