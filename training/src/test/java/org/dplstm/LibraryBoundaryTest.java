package org.dplstm;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The library (privacy, data, audit and training: ARCHITECTURE §1) uses nothing of the
 * application: not the command line or its progress bars, no slf4j binding's classes, and (in
 * training) no charts. The pom's enforcer rule keeps those jars out of the library's compile and
 * run-time scopes; this check keeps the code from reaching for them should one come back.
 */
class LibraryBoundaryTest {

    private static final JavaClasses LIBRARY_CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.dplstm");

    @Test
    void everyLibraryModuleIsImported() {
        // the rule below can only fail if it sees the code: each module's packages are present
        Set<String> packages = LIBRARY_CLASSES.stream().map(JavaClass::getPackageName).collect(Collectors.toSet());
        assertThat(packages).contains("org.dplstm.privacy", "org.dplstm.data.dataset", "org.dplstm.audit.log",
                "org.dplstm.training.dpsgd", "org.dplstm.training.mechanism.clip");
    }

    @Test
    void noLibraryClassDependsOnTheApplication() {
        noClasses().that().resideInAPackage("org.dplstm..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.dplstm.cli..", "picocli..", "me.tongfei..", "org.slf4j.simple..")
                .check(LIBRARY_CLASSES);
    }

    @Test
    void theTrainingLibraryDrawsNoCharts() {
        // the audit module's run report draws its epsilon chart; training's charts are the cli's
        noClasses().that().resideInAPackage("org.dplstm.training..")
                .should().dependOnClassesThat().resideInAPackage("org.knowm.xchart..")
                .check(LIBRARY_CLASSES);
    }
}
