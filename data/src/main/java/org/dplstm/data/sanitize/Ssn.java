package org.dplstm.data.sanitize;

/**
 * US Social Security numbers as the SSA issues them: area 001-899 except 666, group 01-99,
 * serial 0001-9999 (SSA, "Social Security Number Randomization", 2011).
 */
public final class Ssn {
    private Ssn() {}

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
