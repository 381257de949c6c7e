/**
 * The little script every page loads: it listens to /events and refreshes the page when a
 * ticket it shows changes, unless the reader is typing (then a banner offers the reload).
 */
export const CLIENT_JS = `(() => {
  const live = document.querySelector('[data-live]');
  if (!live || !window.EventSource) return;
  const ticket = live.getAttribute('data-ticket');
  const source = new EventSource('/events' + (ticket ? '?ticket=' + encodeURIComponent(ticket) : ''));
  source.addEventListener('changed', () => {
    const typing = [...document.querySelectorAll('textarea')].some((t) => t.value.trim() !== '');
    if (typing) document.getElementById('changed').style.display = 'block';
    else { source.close(); location.reload(); }
  });
})();
`;
