package org.dplstm;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * No package of the project's main code depends, directly or through others, on a package that
 * depends on it (STYLE: packages by feature, no cycles). Every module this one builds on is on the
 * test class path, so one check covers privacy, data, audit, training and the cli module.
 */
class PackageCyclesTest {

    private static final JavaClasses MAIN_CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // the training module's test fixtures come as a test jar, which the option above lets in
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("org.dplstm");

    @Test
    void everyModuleIsImported() {
        // the check below can only fail if it sees the code: each module's root package is present
        Set<String> packages = MAIN_CLASSES.stream().map(JavaClass::getPackageName).collect(Collectors.toSet());
        assertThat(packages).contains("org.dplstm.privacy", "org.dplstm.data.dataset", "org.dplstm.audit.log",
                "org.dplstm.training.dpsgd", "org.dplstm.cli");
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("org.dplstm.(**)").should().beFreeOfCycles().check(MAIN_CLASSES);
    }
}
