package dev.dbchaos.experiment;

/**
 * A check whose value a test sets: it holds while the value is at most zero.
 */
class SettableCheck implements Check {

	private final String name;

	private volatile double value;

	SettableCheck(String name) {
		this.name = name;
	}

	void set(double value) {
		this.value = value;
	}

	@Override
	public String description() {
		return this.name + " <= 0";
	}

	@Override
	public String observed() {
		return this.name;
	}

	@Override
	public Observation observe() {
		return new Observation(this.value <= 0, this.value);
	}

}
