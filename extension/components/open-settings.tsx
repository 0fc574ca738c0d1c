import { createContext, useContext } from 'react';

/** Opens the panel's Settings (the token, the API address): notices about them offer it as a button. */
export const OpenSettingsContext = createContext<(() => void) | null>(null);

export const useOpenSettings = () => useContext(OpenSettingsContext);
