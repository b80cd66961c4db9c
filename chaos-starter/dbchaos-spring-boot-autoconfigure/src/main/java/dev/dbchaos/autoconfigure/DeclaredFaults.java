package dev.dbchaos.autoconfigure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.PropertyAccessorFactory;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;

import dev.dbchaos.fault.FaultField;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.InvalidFaultException;

/**
 * The faults declared in {@code dbchaos.faults}, and the rule each one became. They are
 * added at start-up, where an invalid one stops the start naming its property; and, in an
 * application whose {@link Environment} changes at run time (Spring Cloud's
 * {@code /actuator/refresh}, {@code /actuator/busrefresh}, Spring Cloud Config, a
 * Kubernetes ConfigMap), {@link #refresh(FaultRegistry) brought in line} with it again: a
 * declaration that appeared is added, one that disappeared is removed, and one left as it
 * was keeps its rule, and so its id and its expiry. A declaration is the same when every
 * field of it is, wherever it stands in the list. A rule that expired or was removed
 * through the endpoint is not brought back while its declaration stays as it was: every
 * fault ends on its own, declared or not.
 * <p>
 * Start-up and refresh read a declaration the same way: its bean properties by the names
 * of the {@link FaultField fields of a fault}, checked by
 * {@link FaultSpec#of(FaultField.Values)} and {@link FaultRegistry#checkLimits}.
 *
 * @since 0.1.0
 */
public final class DeclaredFaults {

	private static final Log logger = LogFactory.getLog(DeclaredFaults.class);

	private static final String PREFIX = "dbchaos.faults";

	private final Environment environment;

	/**
	 * The declarations that became rules, with the ids of those rules. Guarded by this.
	 */
	private final List<Declared> declared = new ArrayList<>();

	DeclaredFaults(Environment environment) {
		this.environment = environment;
	}

	/**
	 * Add the declared faults of one kind at start-up: the held ones ({@code lock},
	 * {@code pool-exhaustion}) need the data sources that hold them, so they come once
	 * every data source bean is in place, the others before any is used.
	 * @param registry the registry
	 * @param faults the faults as bound from {@code dbchaos.faults}
	 * @param held whether to add the held faults or the others
	 * @throws InvalidConfigurationPropertyValueException naming the property, its value
	 * as written and the reason, for the first declaration that is invalid
	 */
	synchronized void addAtStartUp(FaultRegistry registry, List<DbChaosProperties.Fault> faults, boolean held) {
		if (!held) {
			bind();
		}
		for (Declaration declaration : declarations(faults)) {
			if (declaration.isHeld() == held) {
				FaultRule rule = check(declaration, () -> registry.add(declaration.spec()));
				this.declared.add(new Declared(declaration.definition(), rule.getId()));
			}
		}
	}

	/**
	 * Bring the registry in line with the faults the {@link Environment} now declares.
	 * When a declaration is invalid nothing changes: the error is logged, naming the
	 * property, and the faults declared before stay as they are.
	 * @param registry the registry the declared faults were added to
	 * @return whether the declarations were valid, so that the registry now matches them
	 */
	public synchronized boolean refresh(FaultRegistry registry) {
		List<Declared> unchanged = new ArrayList<>();
		List<Declaration> added = new ArrayList<>();
		List<Declared> gone = new ArrayList<>(this.declared);
		try {
			for (Declaration declaration : declarations(bind())) {
				Declared same = gone.stream()
					.filter((candidate) -> candidate.definition().equals(declaration.definition()))
					.findFirst()
					.orElse(null);
				if (same != null) {
					gone.remove(same);
					unchanged.add(same);
				}
				else {
					added.add(declaration);
				}
			}
			checkCanAdd(registry, added, gone);
		}
		catch (BindException | InvalidConfigurationPropertyValueException ex) {
			logger.error("The faults declared in " + PREFIX + " were left as they were: " + describe(ex));
			return false;
		}
		gone.forEach((declaration) -> registry.remove(declaration.ruleId()));
		this.declared.clear();
		this.declared.addAll(unchanged);
		for (Declaration declaration : added) {
			try {
				FaultRule rule = registry.add(declaration.spec());
				this.declared.add(new Declared(declaration.definition(), rule.getId()));
			}
			catch (RuntimeException ex) {
				// Only what the checks above cannot know, such as a lock's table that the
				// database refuses; left out, the declaration is tried again next time.
				logger.error("The fault declared in " + PREFIX + "[" + declaration.index() + "] could not be added: "
						+ describe(ex));
			}
		}
		if (!gone.isEmpty() || !added.isEmpty()) {
			logger.info("The faults declared in " + PREFIX + " changed: " + added.size() + " added, " + gone.size()
					+ " removed, " + unchanged.size() + " unchanged");
		}
		return true;
	}

	/**
	 * Return the ids of the rules the declared faults became, whether still active or
	 * not.
	 * @return the rule ids, in no particular order
	 */
	public synchronized List<String> getRuleIds() {
		return this.declared.stream().map(Declared::ruleId).toList();
	}

	/**
	 * Check, before any rule is removed or added, what adding them would check: their
	 * lifetimes and waits, and that an id a declaration asks for is free once the rules
	 * of the declarations that disappeared are gone.
	 * @param registry the registry
	 * @param added the declarations that appeared
	 * @param gone the declarations that disappeared
	 */
	private void checkCanAdd(FaultRegistry registry, List<Declaration> added, List<Declared> gone) {
		Set<String> leaving = new HashSet<>();
		gone.forEach((declaration) -> leaving.add(declaration.ruleId()));
		Set<String> taken = new HashSet<>();
		for (FaultRule rule : registry.getRules()) {
			if (!leaving.contains(rule.getId())) {
				taken.add(rule.getId());
			}
		}
		for (Declaration declaration : added) {
			check(declaration, () -> {
				registry.checkLimits(declaration.spec());
				String id = declaration.spec().getId();
				if (id != null && !taken.add(id)) {
					throw new InvalidFaultException("id", "'" + id + "' is already in use by an active rule");
				}
				return id;
			});
		}
	}

	/**
	 * Bind {@code dbchaos.faults} afresh, failing with Spring Boot's report of unbound
	 * properties when a key under {@code dbchaos.faults[n]} is not a field of a fault: a
	 * misspelt {@code scope} would otherwise make a fault meant for one scope break every
	 * request. {@code ignoreUnknownFields = false} cannot be set on
	 * {@link DbChaosProperties} itself, since other keys under {@code dbchaos.} (such as
	 * a test suite's own settings) are not dbchaos's to refuse.
	 * @return the declared faults
	 */
	private List<DbChaosProperties.Fault> bind() {
		return Binder.get(this.environment)
			.bind(PREFIX, Bindable.listOf(DbChaosProperties.Fault.class),
					new NoUnboundElementsBindHandler(BindHandler.DEFAULT))
			.orElseGet(List::of);
	}

	private List<Declaration> declarations(List<DbChaosProperties.Fault> faults) {
		List<Declaration> declarations = new ArrayList<>();
		for (int i = 0; i < faults.size(); i++) {
			declarations.add(declaration(i, faults.get(i)));
		}
		return declarations;
	}

	private Declaration declaration(int index, DbChaosProperties.Fault fault) {
		BeanWrapper properties = PropertyAccessorFactory.forBeanPropertyAccess(fault);
		List<FaultField<?>> fields = FaultField.all();
		@Nullable Object[] values = new Object[fields.size()];
		for (int i = 0; i < values.length; i++) {
			values[i] = properties.getPropertyValue(fields.get(i).name());
		}
		FaultSpec spec = check(index, properties, () -> toSpec(properties));
		return new Declaration(index, properties, Arrays.asList(values), spec);
	}

	private <T> T check(Declaration declaration, Step<T> step) {
		return check(declaration.index(), declaration.properties(), step);
	}

	/**
	 * Run a step that may find a declaration invalid, turning its
	 * {@link InvalidFaultException} into Spring Boot's, which names the property, its
	 * value as written and where it was set.
	 * @param <T> what the step returns
	 * @param index where the declaration stands in {@code dbchaos.faults}
	 * @param properties the declaration's bean properties
	 * @param step the step
	 * @return what the step returned
	 */
	private <T> T check(int index, BeanWrapper properties, Step<T> step) {
		try {
			return step.run();
		}
		catch (InvalidFaultException ex) {
			String field = ex.getField();
			String property = FaultField.named(field).map(FaultField::propertyName).orElse(field);
			@Nullable Object value = properties.isReadableProperty(field) ? properties.getPropertyValue(field) : null;
			throw FaultRegistryFactory.invalid(PREFIX + "[" + index + "]." + property, value, ex.getReason(),
					this.environment);
		}
	}

	/**
	 * Return the fault a declared one stands for. Its bean properties are read by the
	 * names of the fields of a fault, so that nothing here is written once per field.
	 * @param fault the fault as bound from {@code dbchaos.faults[n]}
	 * @return the fault it declares
	 */
	static FaultSpec toSpec(DbChaosProperties.Fault fault) {
		return toSpec(PropertyAccessorFactory.forBeanPropertyAccess(fault));
	}

	private static FaultSpec toSpec(BeanWrapper properties) {
		return FaultSpec.of((field) -> properties.getPropertyValue(field.name()));
	}

	private static String describe(Exception ex) {
		StringBuilder message = new StringBuilder(String.valueOf(ex.getMessage()));
		for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
			message.append("; ").append(cause.getMessage());
		}
		return message.toString();
	}

	/**
	 * A declaration as read from {@code dbchaos.faults[index]}.
	 *
	 * @param index where it stands in the list, for the property names of errors
	 * @param properties its bean properties, for the values of errors
	 * @param definition the value of each {@link FaultField}, in the order of
	 * {@link FaultField#all()}: equal for declarations that declare the same fault
	 * @param spec the fault it declares
	 */
	private record Declaration(int index, BeanWrapper properties, List<@Nullable Object> definition, FaultSpec spec) {

		boolean isHeld() {
			return this.spec.getType().isHeld();
		}

	}

	@FunctionalInterface
	private interface Step<T> {

		T run();

	}

	/**
	 * A declaration that became a rule.
	 *
	 * @param definition the declaration's {@link Declaration#definition() definition}
	 * @param ruleId the id of the rule it became
	 */
	private record Declared(List<@Nullable Object> definition, String ruleId) {

	}

}
