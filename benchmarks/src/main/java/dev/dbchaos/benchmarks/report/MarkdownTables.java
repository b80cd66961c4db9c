package dev.dbchaos.benchmarks.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tables of a Markdown results file, such as {@code recovery.md}, read so that a page
 * can quote their cells by column and row rather than copy them.
 */
final class MarkdownTables {

	private static final Pattern FILTER = Pattern.compile("(.+?)([=~])(.*)");

	private static final Pattern SEPARATOR = Pattern.compile("\\|[\\s:|-]+");

	/** Each table a list of rows, its header first; each row its cells. */
	private final List<List<List<String>>> tables = new ArrayList<>();

	MarkdownTables(String markdown) {
		List<List<String>> table = null;
		for (String line : markdown.split("\n")) {
			if (!line.startsWith("|")) {
				table = null;
			}
			else if (!SEPARATOR.matcher(line).matches()) {
				if (table == null) {
					table = new ArrayList<>();
					this.tables.add(table);
				}
				String inner = line.strip();
				table.add(Arrays.stream(inner.substring(1, inner.length() - 1).split("\\|", -1))
					.map(String::strip)
					.toList());
			}
		}
	}

	/**
	 * Return the cells under a column of the rows that every filter matches, in the
	 * tables that have that column and the filters' columns.
	 * @param table the one table to look at, counted from 1, or 0 for every table
	 * @param column the column's header
	 * @param filters each {@code C=TEXT} (the row's cell under {@code C} is {@code TEXT})
	 * or {@code C~TEXT} (that cell contains {@code TEXT})
	 * @return the cells, in file order
	 */
	List<String> column(int table, String column, List<String> filters) {
		if (table < 0 || table > this.tables.size()) {
			throw new IllegalArgumentException("no table " + table + ": the file has " + this.tables.size());
		}
		List<Matcher> matchers = new ArrayList<>();
		for (String filter : filters) {
			Matcher matcher = FILTER.matcher(filter);
			if (!matcher.matches()) {
				throw new IllegalArgumentException("'" + filter + "' is neither COLUMN=TEXT nor COLUMN~TEXT");
			}
			matchers.add(matcher);
		}
		List<String> cells = new ArrayList<>();
		for (List<List<String>> rows : (table > 0) ? List.of(this.tables.get(table - 1)) : this.tables) {
			List<String> header = rows.get(0);
			if (!header.contains(column) || !matchers.stream().allMatch((m) -> header.contains(m.group(1)))) {
				continue;
			}
			for (List<String> row : rows.subList(1, rows.size())) {
				if (matchers.stream().allMatch((m) -> matches(row.get(header.indexOf(m.group(1))), m))) {
					cells.add(row.get(header.indexOf(column)));
				}
			}
		}
		return cells;
	}

	/**
	 * Return the cell under a column of the one row that every filter matches.
	 * @param table the one table to look at, counted from 1, or 0 for every table
	 * @param column the column's header
	 * @param filters as for {@link #column}
	 * @return the cell
	 */
	String cell(int table, String column, List<String> filters) {
		List<String> cells = column(table, column, filters);
		if (cells.size() != 1) {
			throw new IllegalArgumentException(cells.size() + " rows match, not one");
		}
		return cells.get(0);
	}

	/**
	 * Return the lowest and the highest number under a column in the rows that every
	 * filter matches, as they are written, e.g. {@code 4.24–4.38}; cells that are not a
	 * number, such as {@code none}, do not count.
	 * @param table the one table to look at, counted from 1, or 0 for every table
	 * @param column the column's header
	 * @param filters as for {@link #column}
	 * @return the range, or the one number if all are equal
	 */
	String range(int table, String column, List<String> filters) {
		Comparator<String> byValue = Comparator.comparingDouble((cell) -> Double.parseDouble(cell.replace(",", "")));
		List<String> numbers = column(table, column, filters).stream()
			.filter((cell) -> cell.matches("-?[\\d,]+(\\.\\d+)?"))
			.sorted(byValue)
			.toList();
		if (numbers.isEmpty()) {
			throw new IllegalArgumentException("no number in the rows that match");
		}
		String low = numbers.get(0);
		String high = numbers.get(numbers.size() - 1);
		return (byValue.compare(low, high) == 0) ? low : low + "–" + high;
	}

	private static boolean matches(String cell, Matcher filter) {
		return filter.group(2).equals("=") ? cell.equals(filter.group(3)) : cell.contains(filter.group(3));
	}

}
