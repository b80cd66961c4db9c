// Keeps the shopper page up to date without a reload, and buys with an idempotency key.
(function () {
	'use strict';
	const POLL_MILLIS = 1000;
	const result = document.getElementById('result');
	let shown = document.getElementById('catalogue').outerHTML;
	// One key per purchase attempt: pressing Buy again after a failure retries the same purchase.
	const pendingKeys = new Map();

	function newKey() {
		return (window.crypto && crypto.randomUUID) ? crypto.randomUUID()
			: Date.now() + '-' + Math.random().toString(36).slice(2);
	}

	async function poll() {
		try {
			const response = await fetch('/catalogue', { cache: 'no-store' });
			if (response.ok) {
				const html = (await response.text()).trim();
				if (html !== shown) {
					document.getElementById('catalogue').outerHTML = html;
					shown = html;
				}
			}
		}
		catch (ignored) {
			// The shop itself is unreachable; try again on the next tick.
		}
		setTimeout(poll, POLL_MILLIS);
	}

	document.addEventListener('submit', async (event) => {
		const form = event.target.closest('form.buy');
		if (!form) {
			return;
		}
		event.preventDefault();
		const sneakerId = Number(form.dataset.sneakerId);
		const size = form.elements.size.value;
		const purchase = sneakerId + '/' + size;
		if (!pendingKeys.has(purchase)) {
			pendingKeys.set(purchase, newKey());
		}
		try {
			const response = await fetch('/api/orders', {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', 'Idempotency-Key': pendingKeys.get(purchase) },
				body: JSON.stringify({ sneakerId: sneakerId, size: size, quantity: 1 })
			});
			const body = await response.json();
			if (response.ok) {
				pendingKeys.delete(purchase);
				result.textContent = 'Order ' + body.id + ' placed: size ' + body.size + '. A confirmation follows.';
			}
			else {
				if (response.status !== 503) {
					pendingKeys.delete(purchase);
				}
				result.textContent = (body.title || 'Error') + ': ' + (body.detail || response.status);
			}
		}
		catch (failure) {
			result.textContent = 'The shop did not answer; press Buy again to retry the same order.';
		}
	});

	setTimeout(poll, POLL_MILLIS);
})();
