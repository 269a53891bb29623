package org.dplstm.data.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads UTF-8 lines from a stream in bounded memory. Each line is decoded on its own with a
 * strict decoder, so invalid UTF-8 is reported against its line and the next line still reads
 * correctly; a line longer than the cap is skipped to its end without being held in memory.
 */
final class Utf8LineReader implements Closeable {

    /** One physical line: its text, or the problem that made it unreadable. */
    record Line(long number, String text, ReadProblem problem, String detail) {
        boolean ok() {
            return problem == null;
        }
    }

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[1 << 16];
    private int bufferStart;
    private int bufferEnd;
    private boolean endOfStream;
    private byte[] line = new byte[1024];
    private long lineNumber;
    private long bytesRead;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    Utf8LineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** The bytes consumed so far (for progress bars). */
    long bytesRead() {
        return bytesRead;
    }

    /** The next line without its terminator ({@code \n} or {@code \r\n}), or null at the end. */
    Line next() throws IOException {
        int length = 0;
        boolean tooLong = false;
        boolean sawAny = false;
        while (true) {
            if (bufferStart == bufferEnd && !fill()) {
                if (!sawAny) {
                    return null;
                }
                break;
            }
            sawAny = true;
            int newline = -1;
            for (int i = bufferStart; i < bufferEnd; i++) {
                if (buffer[i] == '\n') {
                    newline = i;
                    break;
                }
            }
            int chunkEnd = newline >= 0 ? newline : bufferEnd;
            int chunk = chunkEnd - bufferStart;
            if (!tooLong) {
                if (length + chunk > maxLineBytes + 1) { // + 1: room for a '\r' before '\n'
                    tooLong = true;
                } else {
                    ensureCapacity(length + chunk);
                    System.arraycopy(buffer, bufferStart, line, length, chunk);
                    length += chunk;
                }
            }
            bytesRead += chunk + (newline >= 0 ? 1 : 0);
            bufferStart = newline >= 0 ? newline + 1 : bufferEnd;
            if (newline >= 0) {
                break;
            }
        }
        lineNumber++;
        if (!tooLong && length > 0 && line[length - 1] == '\r') {
            length--;
        }
        if (tooLong || length > maxLineBytes) {
            return new Line(lineNumber, null, ReadProblem.TOO_LONG,
                    "line longer than " + maxLineBytes + " bytes");
        }
        int start = 0;
        if (lineNumber == 1 && length >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB && line[2] == (byte) 0xBF) {
            start = 3; // a UTF-8 byte order mark is not part of the text
        }
        return decode(start, length);
    }

    private Line decode(int start, int end) {
        boolean ascii = true;
        for (int i = start; i < end; i++) {
            if (line[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new Line(lineNumber, new String(line, start, end - start, StandardCharsets.US_ASCII), null, null);
        }
        try {
            decoder.reset();
            String text = decoder.decode(ByteBuffer.wrap(line, start, end - start)).toString();
            return new Line(lineNumber, text, null, null);
        } catch (CharacterCodingException e) {
            return new Line(lineNumber, null, ReadProblem.INVALID_UTF8,
                    "invalid UTF-8 at byte " + (firstInvalidByte(start, end) + 1) + " of the line");
        }
    }

    /** The offset of the first malformed byte, for the error message (slow path, errors only). */
    private int firstInvalidByte(int start, int end) {
        CharsetDecoder probe = StandardCharsets.UTF_8.newDecoder();
        ByteBuffer bytes = ByteBuffer.wrap(line, start, end - start);
        java.nio.CharBuffer chars = java.nio.CharBuffer.allocate(end - start + 1);
        probe.decode(bytes, chars, true);
        return bytes.position() - start;
    }

    private boolean fill() throws IOException {
        if (endOfStream) {
            return false;
        }
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            endOfStream = n < 0;
            if (n == 0) {
                return fill();
            }
            return false;
        }
        bufferStart = 0;
        bufferEnd = n;
        return true;
    }

    private void ensureCapacity(int capacity) {
        if (capacity > line.length) {
            byte[] larger = new byte[Math.max(capacity, Math.min(line.length * 2, maxLineBytes + 2))];
            System.arraycopy(line, 0, larger, 0, line.length);
            line = larger;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
