package dev.intake.transforms.derive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The built-in and custom text masks, on free text as the SF 311 notes have it. */
class TextMaskTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "call me at 415-555-0100 please|call me at [phone] please",
      "(415) 555-0100 or +1 415.555.0199|[phone] or [phone]",
      "4155550100 then 14155550100|[phone] then [phone]",
      "case 101234567890 and 555-01|case 101234567890 and 555-01",
      "write to jane.doe+311@example.org.|write to [email].",
      "J@x is no address|J@x is no address",
      "Bulky items at 361 MISSISSIPPI ST near 12 Main Street|Bulky items at [street_number]"
          + " MISSISSIPPI ST near [street_number] Main Street",
      "1200-1210 Van Ness Ave, unit 4|[street_number] Van Ness Ave, unit 4",
      "3 bags of trash; 20 minutes wait|3 bags of trash; 20 minutes wait",
      "mail a@b.co or 415 555 0100 at 55 Oak St|mail [email] or [phone] at [street_number] Oak St",
  })
  void builtInsMaskPhonesAddressesAndStreetNumbers(String text, String masked) {
    assertEquals(masked, TextMask.applyAll(TextMask.builtIns(), text));
  }

  @Test
  void aCustomPatternMasksWithItsName() {
    TextMask plate = TextMask.of("plate", "\\b[0-9][A-Z]{3}[0-9]{3}\\b");
    assertEquals("car [plate] blocking", plate.apply("car 7ABC123 blocking"));
    assertNull(plate.apply(null));
  }

  @Test
  void aBadOrEmptyMatchingPatternIsRefused() {
    assertThrows(PatternSyntaxException.class, () -> TextMask.of("bad", "(unclosed"));
    IllegalArgumentException empty =
        assertThrows(IllegalArgumentException.class, () -> TextMask.of("any", "x*"));
    assertEquals("mask 'any' matches the empty text", empty.getMessage());
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> TextMask.builtIn("ssn"));
    assertEquals("no built-in mask 'ssn'; the built-ins are [email, phone, street_number]",
        unknown.getMessage());
    assertEquals(List.of("email", "phone", "street_number"),
        TextMask.builtIns().stream().map(TextMask::name).toList());
  }
}
