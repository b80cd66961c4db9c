package dev.dbchaos.demo.catalogue;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the last known catalogue is kept fresh.
 */
@ConfigurationProperties("demo.catalogue")
public class CatalogueProperties {

	/**
	 * How often the catalogue is read from the database. With shopper pages polling every
	 * second, 500ms shows a release within the 2 seconds promised.
	 */
	private Duration refreshInterval = Duration.ofMillis(500);

	/**
	 * How old the last successful read may be before shoppers are told that live stock is
	 * unavailable. Covers a hung database, whose reads neither succeed nor fail for
	 * seconds.
	 */
	private Duration staleAfter = Duration.ofSeconds(3);

	public Duration getRefreshInterval() {
		return this.refreshInterval;
	}

	public void setRefreshInterval(Duration refreshInterval) {
		this.refreshInterval = refreshInterval;
	}

	public Duration getStaleAfter() {
		return this.staleAfter;
	}

	public void setStaleAfter(Duration staleAfter) {
		this.staleAfter = staleAfter;
	}

}
