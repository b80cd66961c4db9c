// Releases a sneaker from the admin page; the browser sends the Basic credentials it was given.
(function () {
	'use strict';
	const result = document.getElementById('result');
	document.addEventListener('click', async (event) => {
		const button = event.target.closest('button.release');
		if (!button) {
			return;
		}
		button.disabled = true;
		try {
			const response = await fetch('/admin/sneakers/' + button.dataset.sneakerId + '/release', { method: 'POST' });
			const body = await response.json();
			if (response.ok) {
				result.textContent = body.name + ' is released.';
				setTimeout(() => location.reload(), 500);
			}
			else {
				result.textContent = (body.title || 'Error') + ': ' + (body.detail || response.status);
				button.disabled = false;
			}
		}
		catch (failure) {
			result.textContent = 'The shop did not answer: ' + failure;
			button.disabled = false;
		}
	});
})();
