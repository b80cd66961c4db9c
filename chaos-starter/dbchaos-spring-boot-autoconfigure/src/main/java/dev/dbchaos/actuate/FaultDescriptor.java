package dev.dbchaos.actuate;

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
		FaultSpec spec = rule.getSpec();
		Map<String, Object> members = new LinkedHashMap<>();
		// The rule's id, which is generated when the spec has none, leads.
		members.put(FaultField.ID.name(), rule.getId());
		for (FaultField<?> field : FaultField.all()) {
			// A rule's duration is shown as its lifetime, createdAt and expiresAt.
			if (field != FaultField.ID && field != FaultField.DURATION) {
				putIfSet(members, field.name(), field.getJson(spec));
			}
			if (field == FaultField.COUNT) {
				putIfSet(members, "remaining", rule.getRemaining());
			}
		}
		members.put("createdAt", rule.getCreatedAt());
		members.put("expiresAt", rule.getExpiresAt());
		members.put("injections", rule.getInjections());
		return new FaultDescriptor(members);
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
