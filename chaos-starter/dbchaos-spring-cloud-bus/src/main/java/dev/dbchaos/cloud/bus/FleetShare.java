package dev.dbchaos.cloud.bus;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.dbchaos.actuate.FleetFaults;
import dev.dbchaos.fault.InvalidFaultException;

/**
 * The instances a fleet fault is for: {@code all}, or a share such as {@code 50%}. Each
 * instance decides by itself, without asking the others, whether a fault applies to it:
 * <pre>
 * bucket(busId, faultId) = first 8 bytes of SHA-256(busId + "\n" + faultId), as an
 *                          unsigned big-endian number, modulo 100
 * applies                = bucket &lt; percent
 * </pre> where {@code busId} is the instance's {@code spring.cloud.bus.id} and the text
 * is UTF-8. The same fault and instance give the same answer on every instance and every
 * run; another fault id gives an independent answer, so different faults of the same
 * share fall on different instances. A share is of the instances' chances, not a count:
 * with three instances, {@code 50%} may hit none, some or all of them.
 *
 * @param percent the share, 1 to 100 ({@code all} is 100)
 * @since 0.1.0
 */
public record FleetShare(int percent) {

	/**
	 * Every instance of the application.
	 */
	public static final FleetShare ALL = new FleetShare(100);

	private static final Pattern SHARE = Pattern.compile("(\\d{1,3})%");

	/**
	 * Read {@code instances} as posted.
	 * @param text {@code all} or a share such as {@code 50%}
	 * @return the share
	 * @throws InvalidFaultException naming {@code instances} if it is neither
	 */
	public static FleetShare parse(String text) {
		if ("all".equals(text)) {
			return ALL;
		}
		Matcher matcher = SHARE.matcher(text);
		if (matcher.matches()) {
			int percent = Integer.parseInt(matcher.group(1));
			if (percent >= 1 && percent <= 100) {
				return new FleetShare(percent);
			}
		}
		String shown = (text.length() > 40) ? text.substring(0, 40) + "..." : text;
		throw new InvalidFaultException(FleetFaults.INSTANCES,
				"must be \"all\" or a share of the instances from \"1%\" to \"100%\", was '" + shown + "'");
	}

	/**
	 * Return whether a fault of this share applies to an instance.
	 * @param busId the instance's bus id
	 * @param faultId the fault's id
	 * @return whether the instance applies the fault
	 */
	public boolean appliesTo(String busId, String faultId) {
		return this.percent >= 100 || bucket(busId, faultId) < this.percent;
	}

	/**
	 * Return an instance's bucket for a fault, the documented function every instance
	 * evaluates alike.
	 * @param busId the instance's bus id
	 * @param faultId the fault's id
	 * @return a number from 0 to 99
	 */
	public static int bucket(String busId, String faultId) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest((busId + "\n" + faultId).getBytes(StandardCharsets.UTF_8));
			return (int) Long.remainderUnsigned(ByteBuffer.wrap(digest, 0, Long.BYTES).getLong(), 100);
		}
		catch (NoSuchAlgorithmException ex) {
			// Every Java platform has SHA-256.
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public String toString() {
		return (this.percent >= 100) ? "all" : this.percent + "%";
	}

}
