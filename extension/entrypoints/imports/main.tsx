import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import '../../assets/base.css';
import '../dashboard/style.css';
import './imports.css';

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
