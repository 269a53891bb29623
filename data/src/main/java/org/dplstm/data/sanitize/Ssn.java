package org.dplstm.data.sanitize;

/**
 * US Social Security numbers as the SSA issues them: area 001-899 except 666, group 01-99,
 * serial 0001-9999 (SSA, "Social Security Number Randomization", 2011).
 */
public final class Ssn {
    /** How far before a bare nine-digit number a cue may start. */
    private static final int CUE_WINDOW = 32;
    /** Words that announce an SSN, lower case (a bare number is redacted only after one of them). */
    private static final String[] CUES = {"ssn", "social security", "soc. sec", "soc sec", "ss#", "ss #", "ss no"};

    private Ssn() {}

    /**
     * True if one of the SSN cues ends within {@value #CUE_WINDOW} characters before
     * {@code start}. Nine digits without separators are as often an order or account number; the
     * cue is what makes them an SSN (as in Presidio's context words).
     */
    public static boolean hasCueBefore(String text, int start) {
        String window = text.substring(Math.max(0, start - CUE_WINDOW), start).toLowerCase(java.util.Locale.ROOT);
        for (String cue : CUES) {
            if (window.contains(cue)) {
                return true;
            }
        }
        return false;
    }

    /** True if the three parts (digits only: 3, 2 and 4 of them) form an issuable SSN. */
    public static boolean isValid(String area, String group, String serial) {
        if (area.length() != 3 || group.length() != 2 || serial.length() != 4) {
            return false;
        }
        int a = Integer.parseInt(area);
        int g = Integer.parseInt(group);
        int s = Integer.parseInt(serial);
        return a != 0 && a != 666 && a < 900 && g != 0 && s != 0;
    }
}
