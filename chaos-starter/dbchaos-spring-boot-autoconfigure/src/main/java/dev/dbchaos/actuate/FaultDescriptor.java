package dev.dbchaos.actuate;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

import dev.dbchaos.fault.FaultField;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;

/**
 * A fault rule as the endpoint shows it: its id, its fields in the form they are posted
 * in ({@link FaultField#toJson(Object)}), how many injections it has left, its lifetime
 * and how many calls it has affected. Fields a rule does not use are left out rather than
 * shown as {@code null}, whatever the application's own Jackson settings are.
 *
 * @since 0.1.0
 */
public final class FaultDescriptor {

	private final Map<String, Object> members;

	private FaultDescriptor(Map<String, Object> members) {
		this.members = Collections.unmodifiableMap(members);
	}

	/**
	 * Describe a rule.
	 * @param rule the rule
	 * @return its descriptor
	 */
	public static FaultDescriptor of(FaultRule rule) {
		return of(rule.getId(), rule.getSpec(), rule.getRemaining(), rule.getCreatedAt(), rule.getExpiresAt(),
				rule.getInjections());
	}

	/**
	 * Describe a fault that is not in force here, such as a fleet fault meant for other
	 * instances: no {@code remaining} count, no injections.
	 * @param id the fault's id
	 * @param spec what it injects
	 * @param createdAt when it was added
	 * @param expiresAt when it ends
	 * @return its descriptor
	 */
	public static FaultDescriptor of(String id, FaultSpec spec, Instant createdAt, Instant expiresAt) {
		return of(id, spec, null, createdAt, expiresAt, null);
	}

	private static FaultDescriptor of(String id, FaultSpec spec, @Nullable Integer remaining, Instant createdAt,
			Instant expiresAt, @Nullable Long injections) {
		Map<String, Object> members = new LinkedHashMap<>();
		// The rule's id, which is generated when the spec has none, leads.
		members.put(FaultField.ID.name(), id);
		for (FaultField<?> field : FaultField.all()) {
			// A rule's duration is shown as its lifetime, createdAt and expiresAt.
			if (field != FaultField.ID && field != FaultField.DURATION) {
				putIfSet(members, field.name(), field.getJson(spec));
			}
			if (field == FaultField.COUNT) {
				putIfSet(members, "remaining", remaining);
			}
		}
		members.put("createdAt", createdAt);
		members.put("expiresAt", expiresAt);
		putIfSet(members, "injections", injections);
		return new FaultDescriptor(members);
	}

	/**
	 * Return this descriptor with one more member, shown last, such as a fleet fault's
	 * {@code instances}.
	 * @param name the member's name
	 * @param value its value
	 * @return a new descriptor
	 */
	public FaultDescriptor with(String name, Object value) {
		Map<String, Object> members = new LinkedHashMap<>(this.members);
		members.put(name, value);
		return new FaultDescriptor(members);
	}

	/**
	 * Return when the fault ends.
	 * @return the instant
	 */
	public Instant expiresAt() {
		return (Instant) this.members.get("expiresAt");
	}

	private static void putIfSet(Map<String, Object> members, String name, @Nullable Object value) {
		if (value != null) {
			members.put(name, value);
		}
	}

	/**
	 * Return the rule's id.
	 * @return the id
	 */
	public String id() {
		return (String) this.members.get(FaultField.ID.name());
	}

	/**
	 * Return the rule's fault type.
	 * @return the type's id, such as {@code read-only}
	 */
	public String type() {
		return (String) this.members.get(FaultField.TYPE.name());
	}

	/**
	 * Return what the endpoint shows, in the order it shows it: {@code id}, the fields of
	 * the fault that are set, {@code remaining} (after {@code count}) when the rule has a
	 * count, then {@code createdAt}, {@code expiresAt} and {@code injections}.
	 * @return the members of the JSON object, none of them {@code null}
	 */
	@JsonValue
	public Map<String, Object> toMap() {
		return this.members;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other
				|| (other instanceof FaultDescriptor descriptor && this.members.equals(descriptor.members));
	}

	@Override
	public int hashCode() {
		return this.members.hashCode();
	}

	@Override
	public String toString() {
		return "FaultDescriptor" + this.members;
	}

}
