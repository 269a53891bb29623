package org.dplstm.data.sanitize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Validators against published examples (test card numbers of the card schemes' gateways, IBAN registry examples, RFC 4291). */
class ValidatorsTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "4111111111111111", "4012888888881881", "4222222222222", // Visa test numbers
        "5555555555554444", "5105105105105100", "2223003122003222", // Mastercard
        "378282246310005", "371449635398431", // American Express
        "6011111111111117", "6011000990139424", // Discover
        "3530111333300000", "3566002020360505", // JCB
        "30569309025904", "38520000023237"}) // Diners Club
    void publishedTestCardNumbersAreCards(String number) {
        assertThat(CardNumbers.isCardNumber(number)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"4111111111111112", "5555555555554445", "378282246310006", "1234567812345678", "9111111111111111"})
    void cardNumbersFailingLuhnOrSchemeAreNotCards(String number) {
        assertThat(CardNumbers.isCardNumber(number)).isFalse();
    }

    @Test
    void luhnMatchesTheWikipediaExample() {
        assertThat(Luhn.isValid("79927398713")).isTrue(); // the worked example of the Luhn algorithm
        assertThat(Luhn.isValid("79927398710")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GB82WEST12345698765432", "DE89370400440532013000", "FR1420041010050500013M02606",
        "NL91ABNA0417164300", "BE68539007547034", "CH9300762011623852957", "ES9121000418450200051332",
        "IT60X0542811101000000123456", "NO9386011117947", "PL61109010140000071219812874",
        "AT611904300234573201", "DK5000400440116243", "FI2112345600000785", "SE4550000000058398257466"})
    void ibanRegistryExamplesAreValid(String iban) {
        assertThat(Iban.isValid(iban)).isTrue();
        assertThat(Iban.isValid(iban.toLowerCase())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GB82WEST12345698765433", "GB83WEST12345698765432", "DE8937040044053201300", // wrong digit / length
        "XX89370400440532013000", "DE89370400440532013000X"})
    void brokenIbansAreInvalid(String iban) {
        assertThat(Iban.isValid(iban)).isFalse();
    }

    @Test
    void ssnRulesFollowTheSsa() {
        assertThat(Ssn.isValid("078", "05", "1120")).isTrue(); // the Woolworth wallet card number
        assertThat(Ssn.isValid("219", "09", "9999")).isTrue();
        assertThat(Ssn.isValid("000", "12", "3456")).isFalse();
        assertThat(Ssn.isValid("666", "12", "3456")).isFalse();
        assertThat(Ssn.isValid("900", "12", "3456")).isFalse();
        assertThat(Ssn.isValid("999", "12", "3456")).isFalse();
        assertThat(Ssn.isValid("123", "00", "4567")).isFalse();
        assertThat(Ssn.isValid("123", "45", "0000")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2001:DB8:0:0:8:800:200C:417A", "2001:DB8::8:800:200C:417A", "FF01::101", "::1", "::",
        "0:0:0:0:0:0:13.1.68.3", "::13.1.68.3", "::FFFF:129.144.52.38", "2001:0DB8:0000:CD30:0000:0000:0000:0000",
        "2001:db8::", "fe80::1ff:fe23:4567:890a"})
    void rfc4291AddressesAreIpv6(String address) {
        assertThat(IpAddresses.isIpv6(address)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2001:db8::1::2", "1:2:3:4:5:6:7:8:9", "12345::1", "1:2:3", "10:30:45", ":1:2", "1:2:3:4:5:6:7:8::",
        "::1.2.3", "g::1", "1:2:3:4:5:6:7:1.2.3.4"})
    void malformedAddressesAreNotIpv6(String address) {
        assertThat(IpAddresses.isIpv6(address)).isFalse();
    }

    @Test
    void ipv4NeedsFourOctetsUpTo255() {
        assertThat(IpAddresses.isIpv4("192.168.0.1")).isTrue();
        assertThat(IpAddresses.isIpv4("255.255.255.255")).isTrue();
        assertThat(IpAddresses.isIpv4("256.1.1.1")).isFalse();
        assertThat(IpAddresses.isIpv4("2.3.14")).isFalse();
        assertThat(IpAddresses.isIpv4("1.2.3.4.5")).isFalse();
        assertThat(IpAddresses.isIpv4("1..2.3")).isFalse();
    }
}
