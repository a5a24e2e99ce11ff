/**
 * Root of the OneMember hub application; see {@link com.onemember.OneMemberHub}. Feature packages
 * live under {@code com.onemember.hub}, the MDM core under {@code com.onemember.mdm}.
 */
package com.onemember;
