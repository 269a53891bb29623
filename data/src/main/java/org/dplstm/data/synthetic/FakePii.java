package org.dplstm.data.synthetic;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Generates fake but VALID personal data in realistic formats: Luhn-valid card numbers of several
 * schemes, IBANs with correct check digits for several countries, issuable SSNs, phone numbers
 * in real numbering plans, IPv4 and (compressed) IPv6 addresses, e-mail addresses and URLs; and
 * PII-free numbers that look similar (dates, prices, versions, failing checksums). Check digits
 * are computed here independently of the detectors that validate them. Deterministic for a seed.
 */
public final class FakePii {
    private static final List<String> FIRST = List.of("anna", "ben", "carla", "dev", "elena", "farid", "grace",
            "hiro", "ines", "jamal", "kate", "liam", "maria", "noah", "olga", "priya", "quinn", "raj", "sofia", "tom");
    private static final List<String> LAST = List.of("smith", "garcia", "muller", "rossi", "kowalski", "tanaka",
            "okafor", "nguyen", "silva", "johansson", "dubois", "patel", "kim", "haddad", "novak");
    private static final List<String> DOMAINS = List.of("example.com", "mail.example.org", "corp.acme.io",
            "inbox.example.net", "post.example.co.uk", "students.uni-example.edu", "example.de", "shop.example.fr");
    private static final List<String> US_AREA_CODES = List.of("201", "202", "212", "213", "305", "312", "404",
            "415", "503", "512", "617", "646", "702", "718", "805", "917");

    private final Random random;

    public FakePii(Random random) {
        this.random = random;
    }

    private String pick(List<String> options) {
        return options.get(random.nextInt(options.size()));
    }

    private String digits(int count) {
        StringBuilder s = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            s.append((char) ('0' + random.nextInt(10)));
        }
        return s.toString();
    }

    public String email() {
        String local = switch (random.nextInt(4)) {
            case 0 -> pick(FIRST) + "." + pick(LAST);
            case 1 -> pick(FIRST) + "+" + pick(List.of("orders", "news", "support", "2024"));
            case 2 -> pick(FIRST).charAt(0) + pick(LAST) + random.nextInt(100);
            default -> pick(FIRST) + "_" + pick(LAST);
        };
        String address = local + "@" + pick(DOMAINS);
        return switch (random.nextInt(4)) {
            case 0 -> address.toUpperCase(Locale.ROOT);
            case 1 -> Character.toUpperCase(address.charAt(0)) + address.substring(1);
            default -> address;
        };
    }

    public String phone() {
        String area = pick(US_AREA_CODES);
        String exchange = (2 + random.nextInt(8)) + digits(2);
        if (exchange.endsWith("11")) {
            exchange = exchange.charAt(0) + "23";
        }
        String line = digits(4);
        return switch (random.nextInt(12)) {
            case 0 -> "(" + area + ") " + exchange + "-" + line;
            case 1 -> area + "-" + exchange + "-" + line;
            case 2 -> area + "." + exchange + "." + line;
            case 3 -> "+1 " + area + " " + exchange + " " + line;
            case 4 -> "+1-" + area + "-" + exchange + "-" + line;
            case 5 -> "1-800-" + exchange + "-" + line;
            case 6 -> "+44 20 7946 0" + digits(3); // Ofcom's range for drama, London
            case 7 -> "+44 7" + pick(List.of("4", "5", "7", "8", "9")) + digits(2) + " " + digits(6); // UK mobile (07[45789])
            case 8 -> "+49 30 " + (2 + random.nextInt(8)) + digits(7); // Berlin
            case 9 -> "+33 1 " + (random.nextInt(9) + 1) + digits(1) + " " + digits(2) + " " + digits(2) + " " + digits(2);
            case 10 -> "+91 9" + digits(4) + " " + digits(5); // India, mobile
            default -> "+81 3-" + (5 + random.nextInt(4)) + digits(3) + "-" + digits(4); // Tokyo
        };
    }

    /** A Luhn-valid card number of a random scheme, grouped as that scheme prints it. */
    public String card() {
        String body;
        int[] groups;
        switch (random.nextInt(6)) {
            case 0 -> { body = "4" + digits(14); groups = new int[] {4, 4, 4, 4}; } // Visa
            case 1 -> { body = "5" + (1 + random.nextInt(5)) + digits(13); groups = new int[] {4, 4, 4, 4}; } // Mastercard
            case 2 -> { body = (2221 + random.nextInt(500)) + digits(11); groups = new int[] {4, 4, 4, 4}; } // Mastercard 2-series
            case 3 -> { body = (random.nextBoolean() ? "34" : "37") + digits(12); groups = new int[] {4, 6, 5}; } // Amex
            case 4 -> { body = "6011" + digits(11); groups = new int[] {4, 4, 4, 4}; } // Discover
            default -> { body = (3528 + random.nextInt(62)) + digits(11); groups = new int[] {4, 4, 4, 4}; } // JCB
        }
        String number = body + luhnCheckDigit(body);
        return group(number, groups, pick(List.of(" ", "-", "", " ")));
    }

    /** A card-shaped number whose Luhn check digit is wrong. */
    public String cardFailingLuhn() {
        String body = "4" + digits(14);
        int wrong = (luhnCheckDigit(body) + 1 + random.nextInt(9)) % 10;
        return group(body + wrong, new int[] {4, 4, 4, 4}, pick(List.of(" ", "-", "")));
    }

    static int luhnCheckDigit(String body) {
        int sum = 0;
        boolean doubleIt = true; // the check digit will be rightmost, so the body's last digit is doubled
        for (int i = body.length() - 1; i >= 0; i--) {
            int d = body.charAt(i) - '0';
            if (doubleIt) {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return (10 - sum % 10) % 10;
    }

    private static String group(String number, int[] sizes, String separator) {
        StringBuilder s = new StringBuilder();
        int at = 0;
        for (int size : sizes) {
            if (at >= number.length()) {
                break;
            }
            if (at > 0) {
                s.append(separator);
            }
            s.append(number, at, Math.min(number.length(), at + size));
            at += size;
        }
        return s.toString();
    }

    /** A valid IBAN of a random country, in print form (groups of 4) or compact. */
    public String iban() {
        String[] countryAndBban = switch (random.nextInt(7)) {
            case 0 -> new String[] {"DE", digits(18)};
            case 1 -> new String[] {"GB", pick(List.of("WEST", "BARC", "NWBK", "MIDL")) + digits(14)};
            case 2 -> new String[] {"FR", digits(23)};
            case 3 -> new String[] {"NL", pick(List.of("ABNA", "INGB", "RABO")) + digits(10)};
            case 4 -> new String[] {"ES", digits(20)};
            case 5 -> new String[] {"IT", "X" + digits(22)};
            default -> new String[] {"CH", digits(17)};
        };
        String iban = withCheckDigits(countryAndBban[0], countryAndBban[1]);
        return random.nextInt(3) == 0 ? iban : group(iban, new int[] {4, 4, 4, 4, 4, 4, 4, 4, 4}, " ");
    }

    /** An IBAN-shaped string whose check digits are wrong. */
    public String ibanFailingChecksum() {
        String valid = withCheckDigits("DE", digits(18));
        char last = valid.charAt(valid.length() - 1);
        String broken = valid.substring(0, valid.length() - 1) + (char) ('0' + (last - '0' + 1 + random.nextInt(9)) % 10);
        return group(broken, new int[] {4, 4, 4, 4, 4, 4}, " ");
    }

    /** ISO 13616 check digits: 98 - (BBAN + country + "00", letters as 10..35) mod 97. */
    static String withCheckDigits(String country, String bban) {
        StringBuilder numeric = new StringBuilder();
        for (char c : (bban + country + "00").toCharArray()) {
            numeric.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
        }
        int check = 98 - new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue();
        return country + (check < 10 ? "0" : "") + check + bban;
    }

    /** An issuable SSN (area 001-899 but 666, group 01-99, serial 0001-9999), mostly with dashes. */
    public String ssn() {
        int area;
        do {
            area = 1 + random.nextInt(899);
        } while (area == 666);
        String separator = random.nextInt(5) == 0 ? " " : "-";
        return String.format(Locale.ROOT, "%03d%s%02d%s%04d", area, separator, 1 + random.nextInt(99), separator,
                1 + random.nextInt(9999));
    }

    public String ipv4() {
        return (1 + random.nextInt(223)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
    }

    /** An IPv6 address: full form, or with the longest zero run compressed to "::", or IPv4-mapped. */
    public String ipv6() {
        int form = random.nextInt(5);
        if (form == 0) {
            return "::ffff:" + ipv4();
        }
        if (form == 1) {
            return pick(List.of("::1", "fe80::1", "2001:db8::" + Integer.toHexString(random.nextInt(65536))));
        }
        String[] groups = new String[8];
        groups[0] = "2001";
        groups[1] = "db8";
        for (int i = 2; i < 8; i++) {
            groups[i] = Integer.toHexString(random.nextInt(65536));
        }
        if (form == 2) {
            return String.join(":", groups);
        }
        int zeroStart = 2 + random.nextInt(4);
        int zeroEnd = zeroStart + 1 + random.nextInt(8 - zeroStart - 1);
        StringBuilder s = new StringBuilder(String.join(":", java.util.Arrays.copyOfRange(groups, 0, zeroStart)));
        s.append("::");
        s.append(String.join(":", java.util.Arrays.copyOfRange(groups, zeroEnd, 8)));
        String address = s.toString();
        return form == 3 ? address.toUpperCase(Locale.ROOT) : address;
    }

    public String ip() {
        return random.nextBoolean() ? ipv4() : ipv6();
    }

    public String url() {
        String host = pick(List.of("example.com", "www.example.org", "shop.example.net", "help.acme.io",
                "portal.example.co.uk", "status.example.dev"));
        String path = pick(List.of("", "/", "/orders/" + digits(6), "/account/settings", "/reset?token=" + digits(8),
                "/help/article-" + digits(3) + "#steps", "/track?id=" + digits(10)));
        return switch (random.nextInt(4)) {
            case 0 -> "https://" + host + path;
            case 1 -> "http://" + host + path;
            case 2 -> (host.startsWith("www.") ? host : "www." + host) + path;
            default -> host + path;
        };
    }

    /** A street address in US form, sometimes with a unit and a city, state and ZIP code. */
    public String address() {
        String street = (1 + random.nextInt(9899)) + " " + pick(List.of("Elm", "Oak", "Maple", "Cedar", "Lake", "Hill",
                "Park", "Washington", "Lincoln", "Jefferson")) + " " + pick(List.of("Street", "St", "Avenue", "Ave",
                "Road", "Rd", "Drive", "Lane", "Boulevard", "Court"));
        return switch (random.nextInt(3)) {
            case 0 -> street;
            case 1 -> street + ", Apt " + (1 + random.nextInt(40)) + pick(List.of("A", "B", "C"));
            default -> street + ", " + pick(List.of("Springfield", "Riverside", "Fairview", "Madison", "Georgetown"))
                    + ", " + pick(List.of("IL", "CA", "OH", "TX", "NY", "WA")) + " " + (10000 + random.nextInt(89999));
        };
    }

    /** A full date, as people write birth dates. */
    public String birthDate() {
        int year = 1940 + random.nextInt(65);
        int month = 1 + random.nextInt(12);
        int day = 1 + random.nextInt(28);
        return switch (random.nextInt(3)) {
            case 0 -> String.format(Locale.ROOT, "%02d/%02d/%d", month, day, year);
            case 1 -> String.format(Locale.ROOT, "%d-%02d-%02d", year, month, day);
            default -> pick(List.of("January", "March", "May", "July", "September", "November")) + " " + day + ", " + year;
        };
    }

    /**
     * A number-like string that is not personal data (months of a year, prices, versions, order
     * numbers, ISBNs...). Full dates are personal data now (issue 17's DATE).
     */
    public String piiFreeNumber() {
        return switch (random.nextInt(12)) {
            case 0 -> String.format(Locale.ROOT, "%d-%02d", 2015 + random.nextInt(11), 1 + random.nextInt(12));
            case 1 -> String.format(Locale.ROOT, "%02d/%d", 1 + random.nextInt(12), 2015 + random.nextInt(11));
            case 2 -> String.format(Locale.ROOT, "$%,d.%02d", random.nextInt(5000), random.nextInt(100));
            case 3 -> "v" + random.nextInt(10) + "." + random.nextInt(20) + "." + random.nextInt(30);
            case 4 -> random.nextInt(10) + "." + random.nextInt(20) + "." + random.nextInt(30);
            case 5 -> "#" + (100000 + random.nextInt(900000));
            case 6 -> "ORD-" + (2015 + random.nextInt(11)) + "-" + digits(5);
            case 7 -> pick(List.of("978-3-16-148410-0", "978-0-306-40615-7", "0-306-40615-2", "978-1-4028-9462-6", "0-7167-0344-0"));
            case 8 -> cardFailingLuhn();
            case 9 -> ibanFailingChecksum();
            case 10 -> String.format(Locale.ROOT, "%02d:%02d", random.nextInt(24), random.nextInt(60));
            default -> (1 + random.nextInt(500)) + " units";
        };
    }
}
