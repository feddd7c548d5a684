import { parseProductSettings } from '../../domain/product-settings';
import { trafficGrantForCycle } from '../../domain/traffic-grants';

describe('trafficGrantForCycle', () => {
  const settings = parseProductSettings({ trafficGb: { monthly: 0.5, annually: 1200, onetime: 50 } });

  it('gives the bytes for the cycle', () => {
    expect(trafficGrantForCycle(settings, 'monthly')).toBe(500_000_000n);
    expect(trafficGrantForCycle(settings, 'annually')).toBe(1_200_000_000_000n);
    expect(trafficGrantForCycle(settings, 'onetime')).toBe(50_000_000_000n);
  });

  it('reads 0 GB as unlimited', () => {
    expect(trafficGrantForCycle(settings, 'quarterly')).toBe('unlimited');
    expect(trafficGrantForCycle(settings, 'free')).toBe('unlimited');
  });
});
