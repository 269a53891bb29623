package org.dplstm.training.model;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An engine test's base manager, opened before and closed after the tests: register it with
 * {@code @RegisterExtension} on a static field ({@link #perClass()}) or an instance field
 * ({@link #perTest()}), and make arrays in {@link #manager()}.
 */
public final class TestManager implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    // A static field's extension also gets the each-test callbacks: the flag says which pair to act on.
    private final boolean perTest;
    private NDManager manager;

    private TestManager(boolean perTest) {
        this.perTest = perTest;
    }

    /** One manager for all the tests of a class (register on a static field). */
    public static TestManager perClass() {
        return new TestManager(false);
    }

    /** A fresh manager for each test (register on an instance field). */
    public static TestManager perTest() {
        return new TestManager(true);
    }

    public NDManager manager() {
        if (manager == null) {
            throw new IllegalStateException("no manager is open: register perClass() on a static field and"
                    + " perTest() on an instance field, with @RegisterExtension");
        }
        return manager;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!perTest) {
            manager = NDManager.newBaseManager();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (!perTest) {
            manager.close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (perTest) {
            manager = NDManager.newBaseManager();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (perTest) {
            manager.close();
        }
    }
}
