package dev.dbchaos.sample;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Reads and writes notes, straight through the application's pool.
 */
@RestController
@RequestMapping("/api/notes")
class NoteController {

	private final JdbcClient jdbc;

	NoteController(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@GetMapping
	List<Note> notes() {
		return this.jdbc.sql("SELECT id, text FROM note ORDER BY id").query(Note.class).list();
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	Note add(@RequestBody Note note) {
		long id = this.jdbc.sql("INSERT INTO note (text) VALUES (?) RETURNING id")
			.param(note.text())
			.query(Long.class)
			.single();
		return new Note(id, note.text());
	}

	/**
	 * A note.
	 *
	 * @param id its id, given by the database
	 * @param text what it says
	 */
	record Note(Long id, String text) {
	}

}
