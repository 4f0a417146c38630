export { BackPressure } from './back-pressure.js';
