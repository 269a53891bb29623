package org.dplstm.cli;

import java.nio.file.Path;

/**
 * What {@code --init} names: a finished run directory, a shipped public encoder
 * ({@code public:NAME}), or nothing ({@code none}, or the option left out).
 */
record InitChoice(Path runDir, String publicEncoder) {

    static final String PUBLIC_PREFIX = "public:";

    static InitChoice parse(String text) {
        if (text == null || text.equals("none")) {
            return new InitChoice(null, null);
        }
        if (text.startsWith(PUBLIC_PREFIX)) {
            String name = text.substring(PUBLIC_PREFIX.length());
            org.dplstm.training.encoders.PublicEncoder.named(name); // an unknown name is bad input now
            return new InitChoice(null, name);
        }
        return new InitChoice(Path.of(text), null);
    }
}
