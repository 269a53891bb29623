package org.dplstm.data.sanitize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.dplstm.data.sanitize.person.PersonModel;

/**
 * What the sanitizer does; every step is on by default. Immutable; build with {@link #builder()}.
 */
public final class SanitizerConfig {
    /** Default cap on a record's text after normalisation, in chars. */
    public static final int DEFAULT_MAX_CHARS = 20_000;

    private final boolean normalize;
    private final int maxChars;
    private final Set<PiiType> piiTypes;
    private final String phoneRegion;
    private final List<CustomDetector> customDetectors;
    private final PersonModel personModel;
    private final DedupMode dedup;
    private final double nearDuplicateThreshold;
    private final OptionalInt maxRecordsPerUser;
    private final boolean dropEmpty;

    private SanitizerConfig(Builder b) {
        this.normalize = b.normalize;
        this.maxChars = b.maxChars;
        this.piiTypes = b.piiTypes.isEmpty() ? Set.of() : Set.copyOf(b.piiTypes);
        this.phoneRegion = b.phoneRegion;
        this.customDetectors = List.copyOf(b.customDetectors);
        this.personModel = b.personModel;
        this.dedup = b.dedup;
        this.nearDuplicateThreshold = b.nearDuplicateThreshold;
        this.maxRecordsPerUser = b.maxRecordsPerUser;
        this.dropEmpty = b.dropEmpty;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static SanitizerConfig defaults() {
        return builder().build();
    }

    public boolean normalize() {
        return normalize;
    }

    public int maxChars() {
        return maxChars;
    }

    public Set<PiiType> piiTypes() {
        return piiTypes;
    }

    public String phoneRegion() {
        return phoneRegion;
    }

    public List<CustomDetector> customDetectors() {
        return customDetectors;
    }

    /** The model PERSON detection uses; null means the one shipped with dplstm. */
    public PersonModel personModel() {
        return personModel;
    }

    public DedupMode dedup() {
        return dedup;
    }

    public double nearDuplicateThreshold() {
        return nearDuplicateThreshold;
    }

    /** At most this many records per user, chosen at random; empty means no cap. */
    public OptionalInt maxRecordsPerUser() {
        return maxRecordsPerUser;
    }

    public boolean dropEmpty() {
        return dropEmpty;
    }

    /** The settings as JSON (detector names and patterns' names only; for audit logs and reports). */
    public ObjectNode toJson() {
        ObjectNode node = new ObjectMapper().createObjectNode();
        node.put("normalize", normalize);
        node.put("max_chars", maxChars);
        ArrayNode types = node.putArray("pii_types");
        piiTypes.stream().map(PiiType::name).sorted().forEach(types::add);
        node.put("phone_region", phoneRegion);
        ArrayNode custom = node.putArray("custom_detectors");
        customDetectors.forEach(detector -> custom.add(detector.name()));
        if (piiTypes.contains(PiiType.PERSON)) {
            node.put("person_model", (personModel != null ? personModel : PersonModel.bundled()).description());
        }
        node.put("dedup", dedup.name().toLowerCase(java.util.Locale.ROOT));
        node.put("near_duplicate_threshold", nearDuplicateThreshold);
        if (maxRecordsPerUser.isPresent()) {
            node.put("max_records_per_user", maxRecordsPerUser.getAsInt());
        } else {
            node.putNull("max_records_per_user");
        }
        node.put("drop_empty", dropEmpty);
        return node;
    }

    public static final class Builder {
        private boolean normalize = true;
        private int maxChars = DEFAULT_MAX_CHARS;
        private Set<PiiType> piiTypes = EnumSet.allOf(PiiType.class);
        private String phoneRegion = "US";
        private List<CustomDetector> customDetectors = List.of();
        private PersonModel personModel;
        private DedupMode dedup = DedupMode.EXACT;
        private double nearDuplicateThreshold = 0.8;
        private OptionalInt maxRecordsPerUser = OptionalInt.empty();
        private boolean dropEmpty = true;

        /** Unicode normalisation and white-space clean-up (the length cap applies either way). */
        public Builder optNormalize(boolean normalize) {
            this.normalize = normalize;
            return this;
        }

        public Builder optMaxChars(int maxChars) {
            this.maxChars = maxChars;
            return this;
        }

        /** The built-in detectors to run (all by default; empty turns redaction off). */
        public Builder optPiiTypes(Set<PiiType> piiTypes) {
            this.piiTypes = piiTypes.isEmpty() ? EnumSet.noneOf(PiiType.class) : EnumSet.copyOf(piiTypes);
            return this;
        }

        /** The region whose national phone formats are recognised (ISO 3166 code, default US). */
        public Builder optPhoneRegion(String phoneRegion) {
            this.phoneRegion = phoneRegion;
            return this;
        }

        public Builder optCustomDetectors(List<CustomDetector> customDetectors) {
            this.customDetectors = List.copyOf(customDetectors);
            return this;
        }

        /** The model PERSON detection uses instead of the shipped one (see {@link PersonModel#load}). */
        public Builder optPersonModel(PersonModel personModel) {
            this.personModel = personModel;
            return this;
        }

        public Builder optDedup(DedupMode dedup) {
            this.dedup = dedup;
            return this;
        }

        /** Estimated Jaccard similarity of 5-character shingles at which records count as near duplicates. */
        public Builder optNearDuplicateThreshold(double threshold) {
            this.nearDuplicateThreshold = threshold;
            return this;
        }

        public Builder optMaxRecordsPerUser(int maxRecordsPerUser) {
            if (maxRecordsPerUser < 1) {
                throw new IllegalArgumentException("max records per user must be >= 1, was " + maxRecordsPerUser);
            }
            this.maxRecordsPerUser = OptionalInt.of(maxRecordsPerUser);
            return this;
        }

        /** Drop records whose text is empty after sanitization (default true). */
        public Builder optDropEmpty(boolean dropEmpty) {
            this.dropEmpty = dropEmpty;
            return this;
        }

        public SanitizerConfig build() {
            if (maxChars < 1) {
                throw new IllegalArgumentException("max chars must be >= 1, was " + maxChars);
            }
            if (!(nearDuplicateThreshold > 0 && nearDuplicateThreshold <= 1)) {
                throw new IllegalArgumentException("near-duplicate threshold must be in (0, 1], was " + nearDuplicateThreshold);
            }
            if (phoneRegion == null) {
                throw new IllegalArgumentException("phone region must be a two-letter region code, was null");
            }
            if (dedup == null) {
                throw new IllegalArgumentException("dedup must be one of exact, near, none, was null");
            }
            new PhoneNumbers(phoneRegion); // validates the region code
            return new SanitizerConfig(this);
        }
    }
}
