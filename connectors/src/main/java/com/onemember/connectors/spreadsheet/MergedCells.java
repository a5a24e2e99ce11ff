package com.onemember.connectors.spreadsheet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.eventusermodel.XSSFReader;

/**
 * The merged cell ranges of one sheet, read from its XML with a pull parser that keeps nothing but
 * the ranges: they come after all the rows, so a streaming reader learns them only at the end.
 */
final class MergedCells {

  private MergedCells() {}

  static List<CellRangeAddress> of(Path file, String shownName, String sheetName)
      throws UnreadableFileException {
    try (OPCPackage pkg = OPCPackage.open(file.toFile(), PackageAccess.READ)) {
      XSSFReader.SheetIterator sheets =
          (XSSFReader.SheetIterator) new XSSFReader(pkg).getSheetsData();
      while (sheets.hasNext()) {
        try (InputStream xml = sheets.next()) {
          if (sheets.getSheetName().equals(sheetName)) {
            return ranges(xml);
          }
        }
      }
      return List.of();
    } catch (IOException | OpenXML4JException | XMLStreamException | RuntimeException e) {
      throw new UnreadableFileException(
          UnreadableFileException.NOT_A_SPREADSHEET,
          "「%s」的工作表「%s」无法读取 / sheet '%s' of %s cannot be read."
              .formatted(shownName, sheetName, sheetName, shownName),
          e);
    }
  }

  private static List<CellRangeAddress> ranges(InputStream xml) throws XMLStreamException {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    // a sheet has no business declaring entities; refusing them keeps XXE out
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    XMLStreamReader reader = factory.createXMLStreamReader(xml);
    List<CellRangeAddress> ranges = new ArrayList<>();
    try {
      while (reader.hasNext()) {
        if (reader.next() == XMLStreamConstants.START_ELEMENT
            && "mergeCell".equals(reader.getLocalName())) {
          String ref = reader.getAttributeValue(null, "ref");
          if (ref != null && !ref.isBlank()) {
            ranges.add(CellRangeAddress.valueOf(ref));
          }
        }
      }
    } finally {
      reader.close();
    }
    return ranges;
  }
}
