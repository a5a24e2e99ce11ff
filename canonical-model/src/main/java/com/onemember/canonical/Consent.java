package com.onemember.canonical;

import java.time.Instant;

/**
 * Whether a customer agreed to be contacted over a channel.
 *
 * @param channel sms, email, wechat or phone
 * @param recordedAt when the source recorded the choice; {@code null} if unknown
 */
public record Consent(String channel, boolean granted, Instant recordedAt) {}
