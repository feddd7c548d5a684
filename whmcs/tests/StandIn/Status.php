<?php

declare(strict_types=1);

namespace WHMCS\Service;

/** The service statuses WHMCS's server sync compares (tblhosting.domainstatus values). */
class Status
{
    public const PENDING = 'Pending';
    public const ACTIVE = 'Active';
    public const SUSPENDED = 'Suspended';
    public const TERMINATED = 'Terminated';
}
