import './punkt-setup';
import '@oslokommune/punkt-css/dist/css/pkt.min.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { App } from './app';
import { OrganisationsProvider } from './organisations';
import { SessionProvider } from './session';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter>
      <SessionProvider>
        <OrganisationsProvider>
          <App />
        </OrganisationsProvider>
      </SessionProvider>
    </BrowserRouter>
  </StrictMode>,
);
