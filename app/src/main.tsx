import { render } from 'preact';
import { App } from './App.js';

// The popover is the same page in a small frameless window: its own layout, no outer margin.
document.documentElement.classList.toggle('is-popover', location.hash === '#popover');
const root = document.getElementById('root');
if (root) render(<App />, root);
