package org.dplstm.data.sanitize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PiiRedactorTest {
    private final PiiRedactor redactor = PiiRedactor.withAllDetectors();

    private String redact(String text) {
        return redactor.redact(text).text();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Mail John.Doe+billing@Mail.Example.CO.UK today|Mail [EMAIL] today",
        "write to a.b@sub.example.org.|write to [EMAIL].",
        "Call (415) 555-0132 or +44 20 7946 0958.|Call [PHONE] or [PHONE].",
        "Card 4111 1111 1111 1111, exp 12/27|Card [CARD], exp 12/27",
        "Amex 3782-822463-10005 ok|Amex [CARD] ok",
        "card 4111 1111 1111 1111 12 items|card [CARD] 12 items",
        "IBAN GB82 WEST 1234 5698 7654 32 please|IBAN [IBAN] please",
        "iban DE89370400440532013000.|iban [IBAN].",
        "SSN 078-05-1120 on file|SSN [SSN] on file",
        "my SSN is 078051120.|my SSN is [SSN].",
        "Social Security number: 219099999 thanks|Social Security number: [SSN] thanks",
        "from 192.168.0.1:8080 and 2001:db8::8:800:200c:417a.|from [IP]:8080 and [IP].",
        "see https://example.com/reset?token=1234567890, or www.example.org/help|see [URL], or [URL]",
        "visit shop.example.com/orders/2125550132 now|visit [URL] now",
        "(example.com)|([URL])"})
    void replacesEachTypeWithItsPlaceholder(String input, String expected) {
        assertThat(redact(input)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Update to v1.2.3 or 2.3.14 first.", "Invoice 2024-03 for $1,299.99.", "ISBN 978-3-16-148410-0",
        "Card 4111 1111 1111 1112 failed", "IBAN GB82 WEST 1234 5698 7654 33 bounced", "SSN 666-12-3456 is not issued",
        "order 078051120 shipped", "SSN 666123456 is not issued", "ssn on file, see the notes below; tracking 219099999",
        "Meet at 10:30:45 or 10:30.", "order #48213 and ORD-2023-88412", "Note: e.g. the file setup.py, i.e. not a URL.",
        "3 items at 19.99 each, 1,000,000 total", "call 555-0100"})
    void leavesPiiFreeNumbersAlone(String input) {
        assertThat(redact(input)).isEqualTo(input);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // libphonenumber calls +44 7610 ... possible but not valid (an unallocated UK mobile range)
        "text me on +44 7610 123456 tonight|text me on [PHONE] tonight",
        "or +44 7655 987654.|or [PHONE].",
        "+1 555 234 5678 (the 555 area code is not assigned)|[PHONE] (the 555 area code is not assigned)"})
    void internationalNumbersThatAreOnlyPossibleAreRedacted(String input, String expected) {
        assertThat(redact(input)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "order 6011 3680 6796 9899 shipped", // 6011 3680 6796 alone passes Luhn, the whole group does not
        "ref 1234 4111 1111 1111 1111 closed", // a card inside a longer run of four-digit blocks
        "account 212 555 0134 7788 closed"})
    void cardsAndPhonesAreWholeDigitGroupsOrNothing(String input) {
        assertThat(redact(input)).isEqualTo(input);
    }

    @Test
    void spansHoldPositionsAndTypesNotValues() {
        String text = "mail a@example.com now";
        assertThat(redactor.redact(text).spans()).containsExactly(new PiiSpan(5, 18, "EMAIL"));
    }

    @Test
    void disabledTypesAreNotRedacted() {
        PiiRedactor emailOnly = new PiiRedactor(EnumSet.of(PiiType.EMAIL), "US", List.of());
        assertThat(emailOnly.redact("a@example.com 078-05-1120").text()).isEqualTo("[EMAIL] 078-05-1120");
    }

    @Test
    void customDetectorsUseTheirValidator() {
        PiiRedactor custom = new PiiRedactor(EnumSet.noneOf(PiiType.class), "US", List.of(
                CustomDetector.parse("EMPLOYEE_ID=EMP-[0-9]{6}"),
                CustomDetector.parse("ACCOUNT:luhn=\\b[0-9]{11}\\b")));
        assertThat(custom.redact("EMP-123456 paid from 79927398713, not 79927398710").text())
                .isEqualTo("[EMPLOYEE_ID] paid from [ACCOUNT], not 79927398710");
    }

    @Test
    void overlappingSpansOfTwoDetectorsAreRedactedAsTheirUnion() {
        // A span starting inside an earlier one used to be dropped whole, leaving its tail in the text
        // ("Né le Jul. 24, 2001": a name "Né le Jul" hid the date behind it).
        PiiRedactor overlapping = new PiiRedactor(EnumSet.noneOf(PiiType.class), "US", List.of(
                CustomDetector.parse("FIRST=alpha beta"), CustomDetector.parse("SECOND=beta gamma delta")));
        PiiRedactor.Redaction redaction = overlapping.redact("x alpha beta gamma delta y");
        assertThat(redaction.text()).isEqualTo("x [FIRST] y");
        assertThat(redaction.spans()).containsExactly(new PiiSpan(2, 24, "FIRST"));
    }

    @Test
    void badCustomDetectorsAreRejectedWithAClearMessage() {
        assertThatThrownBy(() -> CustomDetector.parse("lower=x")).hasMessageContaining("detector name must be upper-case");
        assertThatThrownBy(() -> CustomDetector.parse("X=[")).hasMessageContaining("detector X has an invalid regex");
        assertThatThrownBy(() -> CustomDetector.parse("X:md5=a")).hasMessage(
                "detector validator must be one of luhn, iban, ssn, ipv4, ipv6, phone, was md5");
        assertThatThrownBy(() -> CustomDetector.parse("EMAIL=a")).hasMessageContaining("built-in");
    }

    @Test
    void phoneRegionDecidesNationalFormats() {
        PiiRedactor uk = new PiiRedactor(EnumSet.of(PiiType.PHONE), "GB", List.of());
        assertThat(uk.redact("ring 020 7946 0958").text()).isEqualTo("ring [PHONE]");
        assertThat(redact("ring 020 7946 0958")).isEqualTo("ring 020 7946 0958");
        assertThatThrownBy(() -> new PiiRedactor(EnumSet.of(PiiType.PHONE), "XX", List.of()))
                .hasMessage("phone region must be a two-letter region code such as US, GB or DE (several separated by"
                        + " commas), was XX");
        assertThatThrownBy(() -> new PiiRedactor(EnumSet.of(PiiType.PHONE), "US,", List.of()))
                .hasMessageEndingWith("was US,");
    }

    @Test
    void severalPhoneRegionsRecogniseEachOnesNationalFormats() {
        PiiRedactor several = new PiiRedactor(EnumSet.of(PiiType.PHONE), "us, GB,DE", List.of());
        assertThat(several.redact("ring 020 7946 0958, (415) 555-0132 or 030 901820").text())
                .isEqualTo("ring [PHONE], [PHONE] or [PHONE]");
        PiiRedactor usOnly = new PiiRedactor(EnumSet.of(PiiType.PHONE), "US", List.of());
        assertThat(usOnly.redact("030 901820").text()).isEqualTo("030 901820");
        // still validating: a number valid in none of them stays
        assertThat(several.redact("order 12 34").text()).isEqualTo("order 12 34");
    }
}
