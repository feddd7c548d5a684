<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

/**
 * Numbers and dates of the client area in the client's language, as the widget writes them with the
 * browser's Intl (1.5 GB, 1,5 GB): PHP's intl extension carries the same CLDR data. GB = 10^9 bytes.
 * Times are in WHMCS's time zone.
 */
final class ClientFormat
{
    private const BYTES_PER_GB = 1e9;

    public function __construct(public readonly ClientText $text)
    {
    }

    public function gb(string|int|null $bytes): string
    {
        return $this->text->text('common.gb', ['amount' => $this->number(((float) $bytes) / self::BYTES_PER_GB)]);
    }

    /** A product speed as sold: empty or 0 means unlimited. */
    public function mbps(string $value): string
    {
        $speed = (float) trim($value);
        return $speed > 0 ? $this->text->text('common.mbps', ['amount' => $this->number($speed)]) : $this->text->text('common.unlimited');
    }

    public function dateTime(?string $iso): string
    {
        if ($iso === null || $iso === '') {
            return '';
        }
        return $this->date($iso, \IntlDateFormatter::MEDIUM, \IntlDateFormatter::SHORT);
    }

    public function time(?string $iso): string
    {
        if ($iso === null || $iso === '') {
            return '';
        }
        return $this->date($iso, \IntlDateFormatter::NONE, \IntlDateFormatter::MEDIUM);
    }

    public function uptime(int $seconds): string
    {
        return $this->text->text('connection.uptimeValue', [
            'days' => $this->number(intdiv($seconds, 86400)),
            'clock' => sprintf('%02d:%02d:%02d', intdiv($seconds % 86400, 3600), intdiv($seconds % 3600, 60), $seconds % 60),
        ]);
    }

    private function date(string $iso, int $dateStyle, int $timeStyle): string
    {
        $formatter = new \IntlDateFormatter($this->text->locale, $dateStyle, $timeStyle, date_default_timezone_get());
        return (string) $formatter->format(new \DateTimeImmutable($iso));
    }

    private function number(float|int $value): string
    {
        $formatter = new \NumberFormatter($this->text->locale, \NumberFormatter::DECIMAL);
        $formatter->setAttribute(\NumberFormatter::MAX_FRACTION_DIGITS, 2);
        return (string) $formatter->format($value);
    }
}
