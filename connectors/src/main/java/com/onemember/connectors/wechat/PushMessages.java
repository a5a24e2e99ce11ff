package com.onemember.connectors.wechat;

import com.onemember.connectors.frame.HookRefused;
import com.onemember.connectors.frame.JsonDocuments;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A WeChat push message, XML ({@code <xml><ToUserName>…</xml>}) or JSON (the same names), as its
 * top-level fields. XML is read with DOCTYPE declarations refused outright, so neither external
 * entities (XXE: a message that makes the hub read its own files or call other hosts) nor entity
 * expansion (a few hundred bytes that expand to gigabytes) can pass; WeChat never sends a DOCTYPE.
 */
public final class PushMessages {

  private PushMessages() {}

  /**
   * The message's top-level fields by name; a nested element or object is kept as its text.
   *
   * @throws HookRefused 400 when the body is neither, or declares a DOCTYPE
   */
  public static Map<String, String> read(byte[] body) throws HookRefused {
    int first = 0;
    while (first < body.length && Character.isWhitespace(body[first])) {
      first++;
    }
    if (first < body.length && body[first] == '<') {
      return xml(body);
    }
    if (first < body.length && body[first] == '{') {
      return json(body);
    }
    throw new HookRefused(400, "推送内容既不是 XML 也不是 JSON / the push is neither XML nor JSON");
  }

  private static Map<String, String> xml(byte[] body) throws HookRefused {
    Element root;
    try {
      root = builder().parse(new ByteArrayInputStream(body)).getDocumentElement();
    } catch (SAXException e) {
      throw new HookRefused(
          400,
          "推送的 XML 无法读取（不接受 DOCTYPE）/ the push's XML cannot be read (a DOCTYPE is never"
              + " accepted): "
              + e.getMessage());
    } catch (IOException e) {
      throw new HookRefused(400, "推送的 XML 无法读取 / the push's XML cannot be read: " + e);
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n.getNodeType() == Node.ELEMENT_NODE) {
        fields.put(n.getNodeName(), n.getTextContent().strip());
      }
    }
    return fields;
  }

  private static DocumentBuilder builder() throws HookRefused {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
      factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      factory.setXIncludeAware(false);
      factory.setExpandEntityReferences(false);
      DocumentBuilder builder = factory.newDocumentBuilder();
      builder.setErrorHandler(null);
      return builder;
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's XML parser cannot be made safe", e);
    }
  }

  private static Map<String, String> json(byte[] body) throws HookRefused {
    JsonNode root;
    try {
      root = JsonDocuments.JSON.readTree(body);
    } catch (JacksonException e) {
      throw new HookRefused(
          400, "推送的 JSON 无法读取 / the push's JSON cannot be read: " + e.getOriginalMessage());
    }
    if (!root.isObject()) {
      throw new HookRefused(400, "推送内容不是 JSON 对象 / the push is not a JSON object");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      JsonNode v = e.getValue();
      fields.put(e.getKey(), v.isValueNode() ? v.asString() : v.toString());
    }
    return fields;
  }
}
