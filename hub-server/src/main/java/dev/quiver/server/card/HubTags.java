package dev.quiver.server.card;

import dev.quiver.schema.card.ModelCard;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The tags the Hub derives for a revision: the card's {@code library_name}, {@code safetensors} when
 * such files exist, the card's own {@code tags}, {@code dataset:x} per dataset, the {@code language}
 * codes, {@code base_model:<id>} and {@code base_model:<relation>:<id>} per base model, and
 * {@code license:x}. {@code pipeline_tag} is a field of its own, not a tag here. Duplicates are
 * dropped, first occurrence kept.
 */
public final class HubTags {
    private static final int MAX_TAG_LENGTH = 256;

    private HubTags() {
    }

    /**
     * @param hasAdapterConfig whether the revision holds an {@code adapter_config.json}; with it (or
     *     {@code library_name: peft}) a base model's relation is {@code adapter} unless the card says
     *     otherwise in {@code base_model_relation}
     * @param adapter the adapter summary, whose base model stands in when the card names none
     */
    public static List<String> derive(ModelCard card, boolean hasAdapterConfig, Optional<AdapterSummary> adapter,
            boolean hasSafetensors) {
        Set<String> tags = new LinkedHashSet<>();
        Optional<String> library = card.string("library_name");
        library.ifPresent(tags::add);
        if (hasSafetensors) {
            tags.add("safetensors");
        }
        tags.addAll(card.strings("tags"));
        card.strings("datasets").forEach(d -> tags.add("dataset:" + d));
        tags.addAll(card.strings("language"));
        boolean isAdapter = hasAdapterConfig || library.map(l -> l.equalsIgnoreCase("peft")).orElse(false);
        Optional<String> relation = card.string("base_model_relation").map(r -> r.toLowerCase(Locale.ROOT))
                .or(() -> isAdapter ? Optional.of("adapter") : Optional.empty());
        List<String> bases = card.strings("base_model");
        if (bases.isEmpty()) {
            bases = adapter.map(AdapterSummary::baseModel).filter(b -> !b.isEmpty()).map(List::of).orElse(List.of());
        }
        for (String base : bases) {
            tags.add("base_model:" + base);
            relation.ifPresent(r -> tags.add("base_model:" + r + ":" + base));
        }
        card.string("license").ifPresent(l -> tags.add("license:" + l));
        return tags.stream().map(String::strip).filter(t -> !t.isEmpty() && t.length() <= MAX_TAG_LENGTH)
                .distinct().toList();
    }
}
