import { ParleyApp } from '../screens/ParleyApp';

// One page: every screen is drawn on the client from this device's own database.
export default function Home() {
  return <ParleyApp />;
}
