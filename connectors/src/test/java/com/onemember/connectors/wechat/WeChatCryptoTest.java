package com.onemember.connectors.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.connectors.frame.HookRefused;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The push security WeChat and WeCom share: signatures, safe-mode encryption (against an
 * implementation written apart from ours, in the local WeChat stand-in), and messages in XML or
 * JSON read without DOCTYPEs.
 */
class WeChatCryptoTest {

  private static final String KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
  private static final String APP = "wx5823bf96d3bd56c7";

  @Test
  void theSignatureIsTheSha1OfTheSortedParts() {
    // sha1("1409304348" + "nonce" + "token"): the parts sorted, then joined
    assertThat(WeChatCrypto.signature("token", "1409304348", "nonce"))
        .isEqualTo(WeChatCrypto.signature("nonce", "token", "1409304348"))
        .hasSize(40)
        .matches("[0-9a-f]+");
    assertThat(WeChatCrypto.signed(WeChatCrypto.signature("a", "b", "c"), "c", "a", "b")).isTrue();
    assertThat(WeChatCrypto.signed("0".repeat(40), "a", "b", "c")).isFalse();
    assertThat(WeChatCrypto.signed(null, "a", "b", "c")).isFalse();
  }

  /** WeChat's published example of a safe-mode push (mini-program message push documents). */
  private static final String DOC_ENCRYPT =
      "+qdx1OKCy+5JPCBFWw70tm0fJGb2Jmeia4FCB7kao+/Q5c/ohsOzQHi8khUOb05JCpj0JB4RvQMkUyus8TPxLKJGQqcvZq"
          + "zDpVzazhZv6JsXUnnR8XGT740XgXZUXQ7vJVnAG+tE8NUd4yFyjPy7GgiaviNrlCTj+l5kdfMuFUPpRSrfMZuMcp3"
          + "Fn2Pede2IuQrKEYwKSqFIZoNqJ4M8EajAsjLY2km32IIjdf8YL/P50F7mStwntrA2cPDrM1kb6mOcfBgRtWygb3VIY"
          + "nSeOBrebufAlr7F9mFUPAJGj04=";

  @Test
  void weChatsPublishedExampleVerifiesAndDecrypts() {
    assertThat(WeChatCrypto.signature("AAAAA", "1714112445", "415670741", DOC_ENCRYPT))
        .isEqualTo("046e02f8204d34f8ba5fa3b1db94908f3df2e9b3");
    assertThat(
            WeChatCrypto.signed(
                "f464b24fc39322e44b38aa78f5edd27bd1441696", "AAAAA", "1714036504", "1514711492"))
        .isTrue();
    assertThat(new WeChatCrypto("A".repeat(43), "wxba5fad812f8e6fb9").decrypt(DOC_ENCRYPT))
        .contains("\"Event\":\"debug_demo\"")
        .hasSize(167);
  }

  @Test
  void ourEncryptionAndTheStandInsIndependentOneReadEachOther() {
    WeChatCrypto crypto = new WeChatCrypto(KEY, APP);
    String event =
        "{\"Event\":\"user_get_card\",\"UserCardCode\":\"281740513520\",\"Note\":\"王芳\"}";
    assertThat(crypto.decrypt(WeChatServer.encrypt(KEY, APP, event))).isEqualTo(event);
    assertThat(WeChatServer.decrypt(KEY, APP, crypto.encrypt(event))).isEqualTo(event);
  }

  @Test
  void aMessageEncryptedForTheAppDecryptsAndOneForAnotherAppIsRefused() {
    WeChatCrypto crypto = new WeChatCrypto(KEY, APP);
    String message =
        "<xml><FromUserName><![CDATA[oGZUI0egBJY1zhBYw2KhdUfwVJJE]]></FromUserName>"
            + "<Event><![CDATA[user_get_card]]></Event><Note>王芳</Note></xml>";
    assertThat(crypto.decrypt(crypto.encrypt(message))).isEqualTo(message);
    // the same message twice is two different ciphertexts (16 random bytes first)
    assertThat(crypto.encrypt(message)).isNotEqualTo(crypto.encrypt(message));

    String forOther = new WeChatCrypto(KEY, "wx0000000000000000").encrypt(message);
    assertThatThrownBy(() -> crypto.decrypt(forOther))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("wx0000000000000000");
  }

  @Test
  void aWrongKeyOrATamperedMessageIsRefusedNamingWhatToCheck() {
    WeChatCrypto crypto = new WeChatCrypto(KEY, APP);
    String encrypted = crypto.encrypt("{\"Event\":\"user_del_card\"}");
    WeChatCrypto wrong = new WeChatCrypto("A" + KEY.substring(1), APP);
    assertThatThrownBy(() -> wrong.decrypt(encrypted)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> crypto.decrypt("not base64 at all!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("encoding-aes-key");
    assertThatThrownBy(() -> new WeChatCrypto("short", APP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("43");
  }

  @Test
  void xmlAndJsonMessagesGiveTheSameFields() throws HookRefused {
    Map<String, String> xml =
        PushMessages.read(
            ("<xml><ToUserName><![CDATA[gh_3f2e1d0c9b8a]]></ToUserName>"
                    + "<FromUserName><![CDATA[oGZUI0egBJY1zhBYw2KhdUfwVJJE]]></FromUserName>"
                    + "<CreateTime>1733472000</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                    + "<Event><![CDATA[user_get_card]]></Event><CardId><![CDATA[pFS7Fjg]]></CardId>"
                    + "<UserCardCode><![CDATA[281740513520]]></UserCardCode></xml>")
                .getBytes(StandardCharsets.UTF_8));
    Map<String, String> json =
        PushMessages.read(
            ("{\"ToUserName\":\"gh_3f2e1d0c9b8a\",\"FromUserName\":\"oGZUI0egBJY1zhBYw2KhdUfwVJJE\","
                    + "\"CreateTime\":1733472000,\"MsgType\":\"event\",\"Event\":\"user_get_card\","
                    + "\"CardId\":\"pFS7Fjg\",\"UserCardCode\":\"281740513520\"}")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(xml).isEqualTo(json).containsEntry("UserCardCode", "281740513520");
  }

  @Test
  void anXxePayloadOrAnEntityBombIsRefusedWithoutReadingAnything() {
    String xxe =
        "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
            + "<xml><FromUserName>&x;</FromUserName></xml>";
    assertThatThrownBy(() -> PushMessages.read(xxe.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(HookRefused.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("DOCTYPE")
        .hasMessageNotContaining("root:");
    String bomb =
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
            + "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
            + "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">]>"
            + "<xml><Event>&lol2;</Event></xml>";
    assertThatThrownBy(() -> PushMessages.read(bomb.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(HookRefused.class);
    assertThatThrownBy(() -> PushMessages.read("hello".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(HookRefused.class)
        .hasMessageContaining("neither XML nor JSON");
  }
}
