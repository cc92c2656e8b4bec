/* eslint-disable */
import * as types from "./graphql";
import type { TypedDocumentNode as DocumentNode } from "@graphql-typed-document-node/core";

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
  "\n  query BackstageAnalytics($ns: String!, $event: String, $from: String!, $to: String!, $bucket: Bucket!) {\n    salesSeries(organization: $ns, event: $event, from: $from, to: $to, bucket: $bucket) {\n      currency\n      buckets {\n        start\n        orders\n        tickets\n        addOns\n        grossMinor\n        refundedMinor\n        compTickets\n        boxOfficeOrders\n        promoOrders\n      }\n      total {\n        start\n        orders\n        tickets\n        addOns\n        grossMinor\n        refundedMinor\n        compTickets\n        boxOfficeOrders\n        promoOrders\n      }\n    }\n    checkInSeries(organization: $ns, event: $event, from: $from, to: $to, bucket: $bucket) {\n      buckets {\n        start\n        checkIns\n        admissions\n        undone\n        offline\n      }\n      total {\n        start\n        checkIns\n        admissions\n        undone\n        offline\n      }\n    }\n    promoUsage(organization: $ns, event: $event) {\n      code\n      orders\n      tickets\n      grossMinor\n      currency\n    }\n  }\n": typeof types.BackstageAnalyticsDocument;
  "\n  query BackstageBuyerMap($ns: String!, $event: String) {\n    buyerMap(organization: $ns, event: $event) {\n      latitude\n      longitude\n      orders\n      buyers\n    }\n  }\n": typeof types.BackstageBuyerMapDocument;
  "\n  query BackstageCustomers($ns: String!, $first: Int, $after: String) {\n    customers(organization: $ns, first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        email\n        name\n        currency\n        orders\n        lifetimeValueMinor\n        refundedMinor\n        firstOrderAtMs\n        lastOrderAtMs\n      }\n    }\n  }\n": typeof types.BackstageCustomersDocument;
  "\n  query BackstageScanDays {\n    scanDays {\n      event\n      title\n      venue\n      day\n      doorsAt\n      startsAt\n      endsAt\n      checkedIn\n    }\n  }\n": typeof types.BackstageScanDaysDocument;
  "\n  query BackstageDoorSetup($slug: String!) {\n    scannerKit(event: $slug) {\n      eventUid\n      gates {\n        name\n        displayName\n        tiers\n        reentry\n      }\n      tiers {\n        name\n        displayName\n        addOn\n      }\n    }\n  }\n": typeof types.BackstageDoorSetupDocument;
  "\n  query BackstageDoorTotals($ns: String!, $name: String!) {\n    organization(namespace: $ns) {\n      namespace\n      event(name: $name) {\n        id\n        name\n        status {\n          sold\n        }\n        tiers(first: 100) {\n          nodes {\n            name\n            displayName\n            kind\n            status {\n              sold\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.BackstageDoorTotalsDocument;
  "\n  mutation BackstageScan($event: String!, $code: String!, $gate: String!, $device: String!, $scanId: ID!) {\n    scan(event: $event, code: $code, gate: $gate, device: $device, scanId: $scanId) {\n      outcome\n      message\n      ticketId\n      tier\n      tierDisplayName\n      holderName\n      seat\n      day\n      admissions\n      standing {\n        at\n        gate\n        device\n        staff\n        offline\n      }\n      validDays\n      retry\n    }\n  }\n": typeof types.BackstageScanDocument;
  "\n  subscription BackstageCheckInCounts($event: String!) {\n    checkInCounts(event: $event) {\n      days {\n        day\n        checkedIn\n        admissions\n        redeemed\n        byGate {\n          name\n          checkedIn\n          admissions\n        }\n        byTier {\n          name\n          checkedIn\n          admissions\n        }\n      }\n    }\n  }\n": typeof types.BackstageCheckInCountsDocument;
  "\n  query BackstageEvents($ns: String!, $first: Int, $after: String, $last: Int, $before: String) {\n    organization(namespace: $ns) {\n      namespace\n      events(first: $first, after: $after, last: $last, before: $before) {\n        pageInfo {\n          hasNextPage\n          hasPreviousPage\n          startCursor\n          endCursor\n        }\n        nodes {\n          id\n          name\n          title\n          state\n          venueName\n          days {\n            startsAt\n          }\n          status {\n            phase\n            capacity\n            sold\n          }\n        }\n      }\n    }\n  }\n": typeof types.BackstageEventsDocument;
  "\n  query BackstageEventVenues($ns: String!) {\n    organization(namespace: $ns) {\n      namespace\n      venues(first: 100) {\n        nodes {\n          name\n          displayName\n          timezone\n        }\n      }\n    }\n  }\n": typeof types.BackstageEventVenuesDocument;
  "\n  query BackstageEvent($ns: String!, $name: String!) {\n    organization(namespace: $ns) {\n      namespace\n      event(name: $name) {\n        id\n        name\n        slug\n        title\n        description\n        venueName\n        venue {\n          name\n          displayName\n          timezone\n          sections {\n            name\n          }\n        }\n        currency\n        days {\n          doorsAt\n          startsAt\n          endsAt\n        }\n        onSaleAt\n        offSaleAt\n        state\n        holdTtlSeconds\n        taxes {\n          name\n          rateBps\n          appliesTo\n        }\n        fees {\n          name\n          appliesTo\n          flatMinor\n          percentBps\n        }\n        promotions {\n          code\n          name\n          appliesTo\n          flatMinor\n          percentBps\n        }\n        generation\n        workers {\n          checkout {\n            minReplicas\n            maxReplicas\n            prewarmReplicas\n          }\n          scan {\n            minReplicas\n            maxReplicas\n            prewarmReplicas\n          }\n          prewarmLeadSeconds\n          replicaLimit\n        }\n        fieldOwners {\n          field\n          manager\n          operation\n          byGateway\n        }\n        tiers(first: 100) {\n          nodes {\n            name\n            displayName\n            kind\n            priceMinor\n            currency\n            quantity\n            perOrder {\n              min\n              max\n            }\n            section\n            tableSeats\n            visibility\n            status {\n              sold\n              held\n              available\n            }\n            fieldOwners {\n              field\n              manager\n              operation\n              byGateway\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.BackstageEventDocument;
  "\n  query BackstageEventStatus($ns: String!, $name: String!) {\n    organization(namespace: $ns) {\n      namespace\n      event(name: $name) {\n        id\n        state\n        generation\n        status {\n          phase\n          ready {\n            status\n            reason\n            message\n          }\n          upToDate\n          capacity\n          sold\n          held\n          available\n          checkoutWorkers {\n            ...BackstageWorkerSet\n          }\n          scanWorkers {\n            ...BackstageWorkerSet\n          }\n        }\n      }\n    }\n  }\n": typeof types.BackstageEventStatusDocument;
  "\n  fragment BackstageWorkerSet on WorkerSetView {\n    ready\n    desired\n    minReplicas\n    maxReplicas\n  }\n": typeof types.BackstageWorkerSetFragmentDoc;
  "\n  mutation BackstageCreateEvent($ns: String!, $input: CreateEventInput!) {\n    createEvent(organization: $ns, input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.BackstageCreateEventDocument;
  "\n  mutation BackstageUpdateEvent($ns: String!, $name: String!, $input: UpdateEventInput!, $force: Boolean) {\n    updateEvent(organization: $ns, name: $name, input: $input, force: $force) {\n      id\n      name\n      generation\n    }\n  }\n": typeof types.BackstageUpdateEventDocument;
  "\n  mutation BackstagePublishEvent($ns: String!, $name: String!, $force: Boolean) {\n    publishEvent(organization: $ns, name: $name, force: $force) {\n      id\n      name\n      state\n    }\n  }\n": typeof types.BackstagePublishEventDocument;
  "\n  mutation BackstageCancelEvent($ns: String!, $name: String!, $force: Boolean) {\n    cancelEvent(organization: $ns, name: $name, force: $force) {\n      id\n      name\n      state\n    }\n  }\n": typeof types.BackstageCancelEventDocument;
  "\n  mutation BackstageCreateTier($ns: String!, $input: CreateTicketTierInput!) {\n    createTicketTier(organization: $ns, input: $input) {\n      name\n      event\n    }\n  }\n": typeof types.BackstageCreateTierDocument;
  "\n  mutation BackstageUpdateTier($ns: String!, $name: String!, $input: UpdateTicketTierInput!, $force: Boolean) {\n    updateTicketTier(organization: $ns, name: $name, input: $input, force: $force) {\n      name\n      event\n    }\n  }\n": typeof types.BackstageUpdateTierDocument;
  "\n  mutation BackstageDeleteTier($ns: String!, $name: String!, $force: Boolean) {\n    deleteTicketTier(organization: $ns, name: $name, force: $force)\n  }\n": typeof types.BackstageDeleteTierDocument;
  "\n  query BackstageOrders(\n    $organization: String\n    $event: String\n    $first: Int\n    $after: String\n    $search: String\n    $states: [OrderState!]\n  ) {\n    orders(organization: $organization, event: $event, first: $first, after: $after, search: $search, states: $states) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        number\n        event\n        state\n        totalMinor\n        refundedMinor\n        currency\n        placedAtMs\n        buyer {\n          name\n          email\n        }\n      }\n    }\n  }\n": typeof types.BackstageOrdersDocument;
  "\n  query BackstageOrder($event: String!, $id: ID!) {\n    order(event: $event, id: $id) {\n      id\n      number\n      event\n      state\n      totalMinor\n      refundedMinor\n      currency\n      placedAtMs\n      paymentIntentId\n      paymentError\n      buyer {\n        name\n        email\n        phone\n      }\n      lines {\n        tier\n        description\n        quantity\n        unitPriceMinor\n        amountMinor\n      }\n      charges {\n        label\n        amountMinor\n      }\n      tickets {\n        id\n        tier\n        label\n        seat\n        admissions\n        refunded\n      }\n      refunds {\n        id\n        ticketIds\n        amountMinor\n        currency\n        feesReturned\n        state\n        reason\n      }\n      customer {\n        email\n        currency\n        orders\n        lifetimeValueMinor\n        refundedMinor\n      }\n    }\n  }\n": typeof types.BackstageOrderDocument;
  "\n  mutation BackstageResendTickets($orderId: ID!) {\n    resendTickets(orderId: $orderId) {\n      id\n      state\n    }\n  }\n": typeof types.BackstageResendTicketsDocument;
  "\n  mutation BackstageRefundTickets($event: String!, $orderId: ID!, $ticketIds: [ID!]!, $reason: String, $refundId: ID) {\n    refundTickets(event: $event, orderId: $orderId, ticketIds: $ticketIds, reason: $reason, refundId: $refundId) {\n      id\n      amountMinor\n      currency\n      state\n      feesReturned\n    }\n  }\n": typeof types.BackstageRefundTicketsDocument;
  "\n  mutation BackstageRefundOrder($event: String!, $orderId: ID!, $reason: String, $refundId: ID) {\n    refundOrder(event: $event, orderId: $orderId, reason: $reason, refundId: $refundId) {\n      id\n      amountMinor\n      currency\n      state\n      feesReturned\n    }\n  }\n": typeof types.BackstageRefundOrderDocument;
  "\n  query BackstageExportLink($organization: String!, $event: String, $kind: ExportKind!) {\n    exportLink(organization: $organization, event: $event, kind: $kind) {\n      url\n      expiresAt\n      kind\n    }\n  }\n": typeof types.BackstageExportLinkDocument;
  "\n  query BackstageBoxOfficeTiers($ns: String!, $name: String!) {\n    organization(namespace: $ns) {\n      namespace\n      event(name: $name) {\n        id\n        name\n        slug\n        title\n        state\n        currency\n        tiers(first: 100) {\n          nodes {\n            name\n            displayName\n            kind\n            priceMinor\n            currency\n            visibility\n            tableSeats\n            perOrder {\n              min\n              max\n            }\n            status {\n              available\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.BackstageBoxOfficeTiersDocument;
  "\n  mutation BackstageHold($event: String!, $tier: String!, $quantity: Int, $seats: [String!], $holdId: ID) {\n    hold(event: $event, tier: $tier, quantity: $quantity, seats: $seats, holdId: $holdId) {\n      id\n      tier\n      quantity\n      seats\n      expiresAtMs\n    }\n  }\n": typeof types.BackstageHoldDocument;
  "\n  mutation BackstageCreateBoxOfficeOrder(\n    $event: String!\n    $holds: [OrderHoldInput!]!\n    $buyer: BuyerInput!\n    $payment: BoxOfficePayment!\n    $orderId: ID\n  ) {\n    createBoxOfficeOrder(event: $event, holds: $holds, buyer: $buyer, payment: $payment, orderId: $orderId) {\n      id\n      number\n      event\n      state\n      totalMinor\n      currency\n      buyer {\n        name\n        email\n      }\n      tickets {\n        id\n        label\n        seat\n      }\n    }\n  }\n": typeof types.BackstageCreateBoxOfficeOrderDocument;
  "\n  mutation BackstageReleaseHold($event: String!, $holdId: ID!) {\n    release(event: $event, holdId: $holdId)\n  }\n": typeof types.BackstageReleaseHoldDocument;
  "\n  query BackstagePublicUrl {\n    portalConfig {\n      publicUrl\n    }\n  }\n": typeof types.BackstagePublicUrlDocument;
  "\n  query BackstageRefundStats($event: String!) {\n    refundStats(event: $event) {\n      refunds\n      tickets\n      amountMinor\n      feesReturnedMinor\n      currency\n      ordersFullyRefunded\n    }\n  }\n": typeof types.BackstageRefundStatsDocument;
  "\n  query BackstageRefundSeries($ns: String!, $event: String, $from: String!, $to: String!, $bucket: Bucket!) {\n    salesSeries(organization: $ns, event: $event, from: $from, to: $to, bucket: $bucket) {\n      currency\n      buckets {\n        start\n        orders\n        grossMinor\n        refundedMinor\n      }\n      total {\n        start\n        orders\n        grossMinor\n        refundedMinor\n      }\n    }\n  }\n": typeof types.BackstageRefundSeriesDocument;
  "\n  mutation BackstageRefundEvent($event: String!, $dryRun: Boolean!) {\n    refundEvent(event: $event, dryRun: $dryRun) {\n      dryRun\n      orders\n      tickets\n      amountMinor\n      feesReturnedMinor\n      currency\n      failedOrders\n    }\n  }\n": typeof types.BackstageRefundEventDocument;
  "\n  query BackstageMembers($ns: String!, $after: String) {\n    organization(namespace: $ns) {\n      namespace\n      members(first: 100, after: $after) {\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          email\n          role\n          fieldOwners {\n            field\n            manager\n            byGateway\n          }\n        }\n      }\n    }\n  }\n": typeof types.BackstageMembersDocument;
  "\n  mutation BackstageSetMember($ns: String!, $email: String!, $role: Role!, $force: Boolean) {\n    setMember(organization: $ns, email: $email, role: $role, force: $force) {\n      email\n      role\n    }\n  }\n": typeof types.BackstageSetMemberDocument;
  "\n  mutation BackstageRemoveMember($ns: String!, $email: String!) {\n    removeMember(organization: $ns, email: $email)\n  }\n": typeof types.BackstageRemoveMemberDocument;
  "\n  query BackstageVenues($ns: String!, $first: Int, $after: String, $last: Int, $before: String) {\n    organization(namespace: $ns) {\n      namespace\n      venues(first: $first, after: $after, last: $last, before: $before) {\n        pageInfo {\n          hasNextPage\n          hasPreviousPage\n          startCursor\n          endCursor\n        }\n        nodes {\n          name\n          displayName\n          timezone\n          capacity\n          address {\n            city\n            country\n          }\n          sections {\n            name\n          }\n        }\n      }\n    }\n  }\n": typeof types.BackstageVenuesDocument;
  "\n  query BackstageVenue($ns: String!, $name: String!) {\n    organization(namespace: $ns) {\n      namespace\n      venue(name: $name) {\n        name\n        displayName\n        address {\n          line1\n          line2\n          city\n          region\n          postalCode\n          country\n        }\n        timezone\n        capacity\n        sections {\n          name\n          generalAdmissionCapacity\n          rows\n          seatsPerRow\n          seatLabels\n          tables\n          seatsPerTable\n        }\n        status {\n          ready {\n            status\n            reason\n            message\n          }\n          sectionCapacity\n        }\n        fieldOwners {\n          field\n          manager\n          operation\n          byGateway\n        }\n      }\n    }\n  }\n": typeof types.BackstageVenueDocument;
  "\n  mutation BackstageCreateVenue($ns: String!, $input: CreateVenueInput!) {\n    createVenue(organization: $ns, input: $input) {\n      name\n    }\n  }\n": typeof types.BackstageCreateVenueDocument;
  "\n  mutation BackstageUpdateVenue($ns: String!, $name: String!, $input: UpdateVenueInput!, $force: Boolean) {\n    updateVenue(organization: $ns, name: $name, input: $input, force: $force) {\n      name\n    }\n  }\n": typeof types.BackstageUpdateVenueDocument;
  "\n  query BackstageEventChoices($ns: String!) {\n    organization(namespace: $ns) {\n      namespace\n      events(first: 100) {\n        nodes {\n          id\n          name\n          slug\n          title\n          state\n          currency\n        }\n      }\n    }\n  }\n": typeof types.BackstageEventChoicesDocument;
  "\n  query BackstageMe {\n    me {\n      login\n      email\n      superUser\n      organizations {\n        namespace\n        name\n        displayName\n        role\n      }\n    }\n  }\n": typeof types.BackstageMeDocument;
  "\n  mutation BackstageLogout {\n    logout\n  }\n": typeof types.BackstageLogoutDocument;
};
const documents: Documents = {
  "\n  query BackstageAnalytics($ns: String!, $event: String, $from: String!, $to: String!, $bucket: Bucket!) {\n    salesSeries(organization: $ns, event: $event, from: $from, to: $to, bucket: $bucket) {\n      currency\n      buckets {\n        start\n        orders\n        tickets\n        addOns\n        grossMinor\n        refundedMinor\n        compTickets\n        boxOfficeOrders\n        promoOrders\n      }\n      total {\n        start\n        orders\n        tickets\n        addOns\n        grossMinor\n        refundedMinor\n        compTickets\n        boxOfficeOrders\n        promoOrders\n      }\n    }\n    checkInSeries(organization: $ns, event: $event, from: $from, to: $to, bucket: $bucket) {\n      buckets {\n        start\n        checkIns\n        admissions\n        undone\n        offline\n      }\n      total {\n        start\n        checkIns\n        admissions\n        undone\n        offline\n      }\n    }\n    promoUsage(organization: $ns, event: $event) {\n      code\n      orders\n      tickets\n      grossMinor\n      currency\n    }\n  }\n":
    types.BackstageAnalyticsDocument,
  "\n  query BackstageBuyerMap($ns: String!, $event: String) {\n    buyerMap(organization: $ns, event: $event) {\n      latitude\n      longitude\n      orders\n      buyers\n    }\n  }\n":
    types.BackstageBuyerMapDocument,
  "\n  query BackstageCustomers($ns: String!, $first: Int, $after: String) {\n    customers(organization: $ns, first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        email\n        name\n        currency\n        orders\n        lifetimeValueMinor\n        refundedMinor\n        firstOrderAtMs\n        lastOrderAtMs\n      }\n    }\n  }\n":
    types.BackstageCustomersDocument,
  "\n  query BackstageScanDays {\n    scanDays {\n      event\n      title\n      venue\n      day\n      doorsAt\n      startsAt\n      endsAt\n      checkedIn\n    }\n  }\n":
    types.BackstageScanDaysDocument,
  "\n  query BackstageDoorSetup($slug: String!) {\n    scannerKit(event: $slug) {\n      eventUid\n      gates {\n        name\n        displayName\n        tiers\n        reentry\n      }\n      tiers {\n        name\n        displayName\n        addOn\n      }\n    }\n  }\n":
    types.BackstageDoorSetupDocument,
  "\n  query BackstageDoorTotals($ns: String!, $name: String!) {\n    organization(namespace: $ns) {\n      namespace\n      event(name: $name) {\n        id\n        name\n        status {\n          sold\n        }\n        tiers(first: 100) {\n          nodes {\n            name\n            displayName\n            kind\n            status {\n              sold\n            }\n          }\n        }\n      }\n    }\n  }\n":
    types.BackstageDoorTotalsDocument,
  "\n  mutation BackstageScan($event: String!, $code: String!, $gate: String!, $device: String!, $scanId: ID!) {\n    scan(event: $event, code: $code, gate: $gate, device: $device, scanId: $scanId) {\n      outcome\n      message\n      ticketId\n      tier\n      tierDisplayName\n      holderName\n      seat\n      day\n      admissions\n      standing {\n        at\n        gate\n        device\n        staff\n        offline\n      }\n      validDays\n      retry\n    }\n  }\n":
    types.BackstageScanDocument,
  "\n  subscription BackstageCheckInCounts($event: String!) {\n    checkInCounts(event: $event) {\n      days {\n        day\n        checkedIn\n        admissions\n        redeemed\n        byGate {\n          name\n          checkedIn\n          admissions\n        }\n        byTier {\n          name\n          checkedIn\n          admissions\n        }\n      }\n    }\n  }\n":
    types.BackstageCheckInCountsDocument,
  "\n  query BackstageEvents($ns: String!, $first: Int, $after: String, $last: Int, $before: String) {\n    organization(namespace: $ns) {\n      namespace\n      events(first: $first, after: $after, last: $last, before: $before) {\n        pageInfo {\n          hasNextPage\n          hasPreviousPage\n          startCursor\n          endCursor\n        }\n        nodes {\n          id\n          name\n          title\n          state\n          venueName\n          days {\n            startsAt\n          }\n          status {\n            phase\n            capacity\n            sold\n          }\n        }\n      }\n    }\n  }\n":
    types.BackstageEventsDocument,
  "\n  query BackstageEventVenues($ns: String!) {\n    organization(namespace: $ns) {\n      namespace\n      venues(first: 100) {\n        nodes {\n          name\n          displayName\n          timezone\n        }\n      }\n    }\n  }\n":
    types.BackstageEventVenuesDocument,
  "\n  query BackstageEvent($ns: String!, $name: String!) {\n    organization(namespace: $ns) {\n      namespace\n      event(name: $name) {\n        id\n        name\n        slug\n        title\n        description\n        venueName\n        venue {\n          name\n          displayName\n          timezone\n          sections {\n            name\n          }\n        }\n        currency\n        days {\n          doorsAt\n          startsAt\n          endsAt\n        }\n        onSaleAt\n        offSaleAt\n        state\n        holdTtlSeconds\n        taxes {\n          name\n          rateBps\n          appliesTo\n        }\n        fees {\n          name\n          appliesTo\n          flatMinor\n          percentBps\n        }\n        promotions {\n          code\n          name\n          appliesTo\n          flatMinor\n          percentBps\n        }\n        generation\n        workers {\n          checkout {\n            minReplicas\n            maxReplicas\n            prewarmReplicas\n          }\n          scan {\n            minReplicas\n            maxReplicas\n            prewarmReplicas\n          }\n          prewarmLeadSeconds\n          replicaLimit\n        }\n        fieldOwners {\n          field\n          manager\n          operation\n          byGateway\n        }\n        tiers(first: 100) {\n          nodes {\n            name\n            displayName\n            kind\n            priceMinor\n            currency\n            quantity\n            perOrder {\n              min\n              max\n            }\n            section\n            tableSeats\n            visibility\n            status {\n              sold\n              held\n              available\n            }\n            fieldOwners {\n              field\n              manager\n              operation\n              byGateway\n            }\n          }\n        }\n      }\n    }\n  }\n":
    types.BackstageEventDocument,
  "\n  query BackstageEventStatus($ns: String!, $name: String!) {\n    organization(namespace: $ns) {\n      namespace\n      event(name: $name) {\n        id\n        state\n        generation\n        status {\n          phase\n          ready {\n            status\n            reason\n            message\n          }\n          upToDate\n          capacity\n          sold\n          held\n          available\n          checkoutWorkers {\n            ...BackstageWorkerSet\n          }\n          scanWorkers {\n            ...BackstageWorkerSet\n          }\n        }\n      }\n    }\n  }\n":
    types.BackstageEventStatusDocument,
  "\n  fragment BackstageWorkerSet on WorkerSetView {\n    ready\n    desired\n    minReplicas\n    maxReplicas\n  }\n":
    types.BackstageWorkerSetFragmentDoc,
  "\n  mutation BackstageCreateEvent($ns: String!, $input: CreateEventInput!) {\n    createEvent(organization: $ns, input: $input) {\n      id\n      name\n    }\n  }\n":
    types.BackstageCreateEventDocument,
  "\n  mutation BackstageUpdateEvent($ns: String!, $name: String!, $input: UpdateEventInput!, $force: Boolean) {\n    updateEvent(organization: $ns, name: $name, input: $input, force: $force) {\n      id\n      name\n      generation\n    }\n  }\n":
    types.BackstageUpdateEventDocument,
  "\n  mutation BackstagePublishEvent($ns: String!, $name: String!, $force: Boolean) {\n    publishEvent(organization: $ns, name: $name, force: $force) {\n      id\n      name\n      state\n    }\n  }\n":
    types.BackstagePublishEventDocument,
  "\n  mutation BackstageCancelEvent($ns: String!, $name: String!, $force: Boolean) {\n    cancelEvent(organization: $ns, name: $name, force: $force) {\n      id\n      name\n      state\n    }\n  }\n":
    types.BackstageCancelEventDocument,
  "\n  mutation BackstageCreateTier($ns: String!, $input: CreateTicketTierInput!) {\n    createTicketTier(organization: $ns, input: $input) {\n      name\n      event\n    }\n  }\n":
    types.BackstageCreateTierDocument,
  "\n  mutation BackstageUpdateTier($ns: String!, $name: String!, $input: UpdateTicketTierInput!, $force: Boolean) {\n    updateTicketTier(organization: $ns, name: $name, input: $input, force: $force) {\n      name\n      event\n    }\n  }\n":
    types.BackstageUpdateTierDocument,
  "\n  mutation BackstageDeleteTier($ns: String!, $name: String!, $force: Boolean) {\n    deleteTicketTier(organization: $ns, name: $name, force: $force)\n  }\n":
    types.BackstageDeleteTierDocument,
  "\n  query BackstageOrders(\n    $organization: String\n    $event: String\n    $first: Int\n    $after: String\n    $search: String\n    $states: [OrderState!]\n  ) {\n    orders(organization: $organization, event: $event, first: $first, after: $after, search: $search, states: $states) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        number\n        event\n        state\n        totalMinor\n        refundedMinor\n        currency\n        placedAtMs\n        buyer {\n          name\n          email\n        }\n      }\n    }\n  }\n":
    types.BackstageOrdersDocument,
  "\n  query BackstageOrder($event: String!, $id: ID!) {\n    order(event: $event, id: $id) {\n      id\n      number\n      event\n      state\n      totalMinor\n      refundedMinor\n      currency\n      placedAtMs\n      paymentIntentId\n      paymentError\n      buyer {\n        name\n        email\n        phone\n      }\n      lines {\n        tier\n        description\n        quantity\n        unitPriceMinor\n        amountMinor\n      }\n      charges {\n        label\n        amountMinor\n      }\n      tickets {\n        id\n        tier\n        label\n        seat\n        admissions\n        refunded\n      }\n      refunds {\n        id\n        ticketIds\n        amountMinor\n        currency\n        feesReturned\n        state\n        reason\n      }\n      customer {\n        email\n        currency\n        orders\n        lifetimeValueMinor\n        refundedMinor\n      }\n    }\n  }\n":
    types.BackstageOrderDocument,
  "\n  mutation BackstageResendTickets($orderId: ID!) {\n    resendTickets(orderId: $orderId) {\n      id\n      state\n    }\n  }\n":
    types.BackstageResendTicketsDocument,
  "\n  mutation BackstageRefundTickets($event: String!, $orderId: ID!, $ticketIds: [ID!]!, $reason: String, $refundId: ID) {\n    refundTickets(event: $event, orderId: $orderId, ticketIds: $ticketIds, reason: $reason, refundId: $refundId) {\n      id\n      amountMinor\n      currency\n      state\n      feesReturned\n    }\n  }\n":
    types.BackstageRefundTicketsDocument,
  "\n  mutation BackstageRefundOrder($event: String!, $orderId: ID!, $reason: String, $refundId: ID) {\n    refundOrder(event: $event, orderId: $orderId, reason: $reason, refundId: $refundId) {\n      id\n      amountMinor\n      currency\n      state\n      feesReturned\n    }\n  }\n":
    types.BackstageRefundOrderDocument,
  "\n  query BackstageExportLink($organization: String!, $event: String, $kind: ExportKind!) {\n    exportLink(organization: $organization, event: $event, kind: $kind) {\n      url\n      expiresAt\n      kind\n    }\n  }\n":
    types.BackstageExportLinkDocument,
  "\n  query BackstageBoxOfficeTiers($ns: String!, $name: String!) {\n    organization(namespace: $ns) {\n      namespace\n      event(name: $name) {\n        id\n        name\n        slug\n        title\n        state\n        currency\n        tiers(first: 100) {\n          nodes {\n            name\n            displayName\n            kind\n            priceMinor\n            currency\n            visibility\n            tableSeats\n            perOrder {\n              min\n              max\n            }\n            status {\n              available\n            }\n          }\n        }\n      }\n    }\n  }\n":
    types.BackstageBoxOfficeTiersDocument,
  "\n  mutation BackstageHold($event: String!, $tier: String!, $quantity: Int, $seats: [String!], $holdId: ID) {\n    hold(event: $event, tier: $tier, quantity: $quantity, seats: $seats, holdId: $holdId) {\n      id\n      tier\n      quantity\n      seats\n      expiresAtMs\n    }\n  }\n":
    types.BackstageHoldDocument,
  "\n  mutation BackstageCreateBoxOfficeOrder(\n    $event: String!\n    $holds: [OrderHoldInput!]!\n    $buyer: BuyerInput!\n    $payment: BoxOfficePayment!\n    $orderId: ID\n  ) {\n    createBoxOfficeOrder(event: $event, holds: $holds, buyer: $buyer, payment: $payment, orderId: $orderId) {\n      id\n      number\n      event\n      state\n      totalMinor\n      currency\n      buyer {\n        name\n        email\n      }\n      tickets {\n        id\n        label\n        seat\n      }\n    }\n  }\n":
    types.BackstageCreateBoxOfficeOrderDocument,
  "\n  mutation BackstageReleaseHold($event: String!, $holdId: ID!) {\n    release(event: $event, holdId: $holdId)\n  }\n":
    types.BackstageReleaseHoldDocument,
  "\n  query BackstagePublicUrl {\n    portalConfig {\n      publicUrl\n    }\n  }\n": types.BackstagePublicUrlDocument,
  "\n  query BackstageRefundStats($event: String!) {\n    refundStats(event: $event) {\n      refunds\n      tickets\n      amountMinor\n      feesReturnedMinor\n      currency\n      ordersFullyRefunded\n    }\n  }\n":
    types.BackstageRefundStatsDocument,
  "\n  query BackstageRefundSeries($ns: String!, $event: String, $from: String!, $to: String!, $bucket: Bucket!) {\n    salesSeries(organization: $ns, event: $event, from: $from, to: $to, bucket: $bucket) {\n      currency\n      buckets {\n        start\n        orders\n        grossMinor\n        refundedMinor\n      }\n      total {\n        start\n        orders\n        grossMinor\n        refundedMinor\n      }\n    }\n  }\n":
    types.BackstageRefundSeriesDocument,
  "\n  mutation BackstageRefundEvent($event: String!, $dryRun: Boolean!) {\n    refundEvent(event: $event, dryRun: $dryRun) {\n      dryRun\n      orders\n      tickets\n      amountMinor\n      feesReturnedMinor\n      currency\n      failedOrders\n    }\n  }\n":
    types.BackstageRefundEventDocument,
  "\n  query BackstageMembers($ns: String!, $after: String) {\n    organization(namespace: $ns) {\n      namespace\n      members(first: 100, after: $after) {\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          email\n          role\n          fieldOwners {\n            field\n            manager\n            byGateway\n          }\n        }\n      }\n    }\n  }\n":
    types.BackstageMembersDocument,
  "\n  mutation BackstageSetMember($ns: String!, $email: String!, $role: Role!, $force: Boolean) {\n    setMember(organization: $ns, email: $email, role: $role, force: $force) {\n      email\n      role\n    }\n  }\n":
    types.BackstageSetMemberDocument,
  "\n  mutation BackstageRemoveMember($ns: String!, $email: String!) {\n    removeMember(organization: $ns, email: $email)\n  }\n":
    types.BackstageRemoveMemberDocument,
  "\n  query BackstageVenues($ns: String!, $first: Int, $after: String, $last: Int, $before: String) {\n    organization(namespace: $ns) {\n      namespace\n      venues(first: $first, after: $after, last: $last, before: $before) {\n        pageInfo {\n          hasNextPage\n          hasPreviousPage\n          startCursor\n          endCursor\n        }\n        nodes {\n          name\n          displayName\n          timezone\n          capacity\n          address {\n            city\n            country\n          }\n          sections {\n            name\n          }\n        }\n      }\n    }\n  }\n":
    types.BackstageVenuesDocument,
  "\n  query BackstageVenue($ns: String!, $name: String!) {\n    organization(namespace: $ns) {\n      namespace\n      venue(name: $name) {\n        name\n        displayName\n        address {\n          line1\n          line2\n          city\n          region\n          postalCode\n          country\n        }\n        timezone\n        capacity\n        sections {\n          name\n          generalAdmissionCapacity\n          rows\n          seatsPerRow\n          seatLabels\n          tables\n          seatsPerTable\n        }\n        status {\n          ready {\n            status\n            reason\n            message\n          }\n          sectionCapacity\n        }\n        fieldOwners {\n          field\n          manager\n          operation\n          byGateway\n        }\n      }\n    }\n  }\n":
    types.BackstageVenueDocument,
  "\n  mutation BackstageCreateVenue($ns: String!, $input: CreateVenueInput!) {\n    createVenue(organization: $ns, input: $input) {\n      name\n    }\n  }\n":
    types.BackstageCreateVenueDocument,
  "\n  mutation BackstageUpdateVenue($ns: String!, $name: String!, $input: UpdateVenueInput!, $force: Boolean) {\n    updateVenue(organization: $ns, name: $name, input: $input, force: $force) {\n      name\n    }\n  }\n":
    types.BackstageUpdateVenueDocument,
  "\n  query BackstageEventChoices($ns: String!) {\n    organization(namespace: $ns) {\n      namespace\n      events(first: 100) {\n        nodes {\n          id\n          name\n          slug\n          title\n          state\n          currency\n        }\n      }\n    }\n  }\n":
    types.BackstageEventChoicesDocument,
  "\n  query BackstageMe {\n    me {\n      login\n      email\n      superUser\n      organizations {\n        namespace\n        name\n        displayName\n        role\n      }\n    }\n  }\n":
    types.BackstageMeDocument,
  "\n  mutation BackstageLogout {\n    logout\n  }\n": types.BackstageLogoutDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query BackstageAnalytics($ns: String!, $event: String, $from: String!, $to: String!, $bucket: Bucket!) {\n    salesSeries(organization: $ns, event: $event, from: $from, to: $to, bucket: $bucket) {\n      currency\n      buckets {\n        start\n        orders\n        tickets\n        addOns\n        grossMinor\n        refundedMinor\n        compTickets\n        boxOfficeOrders\n        promoOrders\n      }\n      total {\n        start\n        orders\n        tickets\n        addOns\n        grossMinor\n        refundedMinor\n        compTickets\n        boxOfficeOrders\n        promoOrders\n      }\n    }\n    checkInSeries(organization: $ns, event: $event, from: $from, to: $to, bucket: $bucket) {\n      buckets {\n        start\n        checkIns\n        admissions\n        undone\n        offline\n      }\n      total {\n        start\n        checkIns\n        admissions\n        undone\n        offline\n      }\n    }\n    promoUsage(organization: $ns, event: $event) {\n      code\n      orders\n      tickets\n      grossMinor\n      currency\n    }\n  }\n",
): (typeof documents)["\n  query BackstageAnalytics($ns: String!, $event: String, $from: String!, $to: String!, $bucket: Bucket!) {\n    salesSeries(organization: $ns, event: $event, from: $from, to: $to, bucket: $bucket) {\n      currency\n      buckets {\n        start\n        orders\n        tickets\n        addOns\n        grossMinor\n        refundedMinor\n        compTickets\n        boxOfficeOrders\n        promoOrders\n      }\n      total {\n        start\n        orders\n        tickets\n        addOns\n        grossMinor\n        refundedMinor\n        compTickets\n        boxOfficeOrders\n        promoOrders\n      }\n    }\n    checkInSeries(organization: $ns, event: $event, from: $from, to: $to, bucket: $bucket) {\n      buckets {\n        start\n        checkIns\n        admissions\n        undone\n        offline\n      }\n      total {\n        start\n        checkIns\n        admissions\n        undone\n        offline\n      }\n    }\n    promoUsage(organization: $ns, event: $event) {\n      code\n      orders\n      tickets\n      grossMinor\n      currency\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query BackstageBuyerMap($ns: String!, $event: String) {\n    buyerMap(organization: $ns, event: $event) {\n      latitude\n      longitude\n      orders\n      buyers\n    }\n  }\n",
): (typeof documents)["\n  query BackstageBuyerMap($ns: String!, $event: String) {\n    buyerMap(organization: $ns, event: $event) {\n      latitude\n      longitude\n      orders\n      buyers\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query BackstageCustomers($ns: String!, $first: Int, $after: String) {\n    customers(organization: $ns, first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        email\n        name\n        currency\n        orders\n        lifetimeValueMinor\n        refundedMinor\n        firstOrderAtMs\n        lastOrderAtMs\n      }\n    }\n  }\n",
): (typeof documents)["\n  query BackstageCustomers($ns: String!, $first: Int, $after: String) {\n    customers(organization: $ns, first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        email\n        name\n        currency\n        orders\n        lifetimeValueMinor\n        refundedMinor\n        firstOrderAtMs\n        lastOrderAtMs\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query BackstageScanDays {\n    scanDays {\n      event\n      title\n      venue\n      day\n      doorsAt\n      startsAt\n      endsAt\n      checkedIn\n    }\n  }\n",
): (typeof documents)["\n  query BackstageScanDays {\n    scanDays {\n      event\n      title\n      venue\n      day\n      doorsAt\n      startsAt\n      endsAt\n      checkedIn\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query BackstageDoorSetup($slug: String!) {\n    scannerKit(event: $slug) {\n      eventUid\n      gates {\n        name\n        displayName\n        tiers\n        reentry\n      }\n      tiers {\n        name\n        displayName\n        addOn\n      }\n    }\n  }\n",
): (typeof documents)["\n  query BackstageDoorSetup($slug: String!) {\n    scannerKit(event: $slug) {\n      eventUid\n      gates {\n        name\n        displayName\n        tiers\n        reentry\n      }\n      tiers {\n        name\n        displayName\n        addOn\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query BackstageDoorTotals($ns: String!, $name: String!) {\n    organization(namespace: $ns) {\n      namespace\n      event(name: $name) {\n        id\n        name\n        status {\n          sold\n        }\n        tiers(first: 100) {\n          nodes {\n            name\n            displayName\n            kind\n            status {\n              sold\n            }\n          }\n        }\n      }\n    }\n  }\n",
): (typeof documents)["\n  query BackstageDoorTotals($ns: String!, $name: String!) {\n    organization(namespace: $ns) {\n      namespace\n      event(name: $name) {\n        id\n        name\n        status {\n          sold\n        }\n        tiers(first: 100) {\n          nodes {\n            name\n            displayName\n            kind\n            status {\n              sold\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation BackstageScan($event: String!, $code: String!, $gate: String!, $device: String!, $scanId: ID!) {\n    scan(event: $event, code: $code, gate: $gate, device: $device, scanId: $scanId) {\n      outcome\n      message\n      ticketId\n      tier\n      tierDisplayName\n      holderName\n      seat\n      day\n      admissions\n      standing {\n        at\n        gate\n        device\n        staff\n        offline\n      }\n      validDays\n      retry\n    }\n  }\n",
): (typeof documents)["\n  mutation BackstageScan($event: String!, $code: String!, $gate: String!, $device: String!, $scanId: ID!) {\n    scan(event: $event, code: $code, gate: $gate, device: $device, scanId: $scanId) {\n      outcome\n      message\n      ticketId\n      tier\n      tierDisplayName\n      holderName\n      seat\n      day\n      admissions\n      standing {\n        at\n        gate\n        device\n        staff\n        offline\n      }\n      validDays\n      retry\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  subscription BackstageCheckInCounts($event: String!) {\n    checkInCounts(event: $event) {\n      days {\n        day\n        checkedIn\n        admissions\n        redeemed\n        byGate {\n          name\n          checkedIn\n          admissions\n        }\n        byTier {\n          name\n          checkedIn\n          admissions\n        }\n      }\n    }\n  }\n",
): (typeof documents)["\n  subscription BackstageCheckInCounts($event: String!) {\n    checkInCounts(event: $event) {\n      days {\n        day\n        checkedIn\n        admissions\n        redeemed\n        byGate {\n          name\n          checkedIn\n          admissions\n        }\n        byTier {\n          name\n          checkedIn\n          admissions\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query BackstageEvents($ns: String!, $first: Int, $after: String, $last: Int, $before: String) {\n    organization(namespace: $ns) {\n      namespace\n      events(first: $first, after: $after, last: $last, before: $before) {\n        pageInfo {\n          hasNextPage\n          hasPreviousPage\n          startCursor\n          endCursor\n        }\n        nodes {\n          id\n          name\n          title\n          state\n          venueName\n          days {\n            startsAt\n          }\n          status {\n            phase\n            capacity\n            sold\n          }\n        }\n      }\n    }\n  }\n",
): (typeof documents)["\n  query BackstageEvents($ns: String!, $first: Int, $after: String, $last: Int, $before: String) {\n    organization(namespace: $ns) {\n      namespace\n      events(first: $first, after: $after, last: $last, before: $before) {\n        pageInfo {\n          hasNextPage\n          hasPreviousPage\n          startCursor\n          endCursor\n        }\n        nodes {\n          id\n          name\n          title\n          state\n          venueName\n          days {\n            startsAt\n          }\n          status {\n            phase\n            capacity\n            sold\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query BackstageEventVenues($ns: String!) {\n    organization(namespace: $ns) {\n      namespace\n      venues(first: 100) {\n        nodes {\n          name\n          displayName\n          timezone\n        }\n      }\n    }\n  }\n",
): (typeof documents)["\n  query BackstageEventVenues($ns: String!) {\n    organization(namespace: $ns) {\n      namespace\n      venues(first: 100) {\n        nodes {\n          name\n          displayName\n          timezone\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query BackstageEvent($ns: String!, $name: String!) {\n    organization(namespace: $ns) {\n      namespace\n      event(name: $name) {\n        id\n        name\n        slug\n        title\n        description\n        venueName\n        venue {\n          name\n          displayName\n          timezone\n          sections {\n            name\n          }\n        }\n        currency\n        days {\n          doorsAt\n          startsAt\n          endsAt\n        }\n        onSaleAt\n        offSaleAt\n        state\n        holdTtlSeconds\n        taxes {\n          name\n          rateBps\n          appliesTo\n        }\n        fees {\n          name\n          appliesTo\n          flatMinor\n          percentBps\n        }\n        promotions {\n          code\n          name\n          appliesTo\n          flatMinor\n          percentBps\n        }\n        generation\n        workers {\n          checkout {\n            minReplicas\n            maxReplicas\n            prewarmReplicas\n          }\n          scan {\n            minReplicas\n            maxReplicas\n            prewarmReplicas\n          }\n          prewarmLeadSeconds\n          replicaLimit\n        }\n        fieldOwners {\n          field\n          manager\n          operation\n          byGateway\n        }\n        tiers(first: 100) {\n          nodes {\n            name\n            displayName\n            kind\n            priceMinor\n            currency\n            quantity\n            perOrder {\n              min\n              max\n            }\n            section\n            tableSeats\n            visibility\n            status {\n              sold\n              held\n              available\n            }\n            fieldOwners {\n              field\n              manager\n              operation\n              byGateway\n            }\n          }\n        }\n      }\n    }\n  }\n",
): (typeof documents)["\n  query BackstageEvent($ns: String!, $name: String!) {\n    organization(namespace: $ns) {\n      namespace\n      event(name: $name) {\n        id\n        name\n        slug\n        title\n        description\n        venueName\n        venue {\n          name\n          displayName\n          timezone\n          sections {\n            name\n          }\n        }\n        currency\n        days {\n          doorsAt\n          startsAt\n          endsAt\n        }\n        onSaleAt\n        offSaleAt\n        state\n        holdTtlSeconds\n        taxes {\n          name\n          rateBps\n          appliesTo\n        }\n        fees {\n          name\n          appliesTo\n          flatMinor\n          percentBps\n        }\n        promotions {\n          code\n          name\n          appliesTo\n          flatMinor\n          percentBps\n        }\n        generation\n        workers {\n          checkout {\n            minReplicas\n            maxReplicas\n            prewarmReplicas\n          }\n          scan {\n            minReplicas\n            maxReplicas\n            prewarmReplicas\n          }\n          prewarmLeadSeconds\n          replicaLimit\n        }\n        fieldOwners {\n          field\n          manager\n          operation\n          byGateway\n        }\n        tiers(first: 100) {\n          nodes {\n            name\n            displayName\n            kind\n            priceMinor\n            currency\n            quantity\n            perOrder {\n              min\n              max\n            }\n            section\n            tableSeats\n            visibility\n            status {\n              sold\n              held\n              available\n            }\n            fieldOwners {\n              field\n              manager\n              operation\n              byGateway\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query BackstageEventStatus($ns: String!, $name: String!) {\n    organization(namespace: $ns) {\n      namespace\n      event(name: $name) {\n        id\n        state\n        generation\n        status {\n          phase\n          ready {\n            status\n            reason\n            message\n          }\n          upToDate\n          capacity\n          sold\n          held\n          available\n          checkoutWorkers {\n            ...BackstageWorkerSet\n          }\n          scanWorkers {\n            ...BackstageWorkerSet\n          }\n        }\n      }\n    }\n  }\n",
): (typeof documents)["\n  query BackstageEventStatus($ns: String!, $name: String!) {\n    organization(namespace: $ns) {\n      namespace\n      event(name: $name) {\n        id\n        state\n        generation\n        status {\n          phase\n          ready {\n            status\n            reason\n            message\n          }\n          upToDate\n          capacity\n          sold\n          held\n          available\n          checkoutWorkers {\n            ...BackstageWorkerSet\n          }\n          scanWorkers {\n            ...BackstageWorkerSet\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  fragment BackstageWorkerSet on WorkerSetView {\n    ready\n    desired\n    minReplicas\n    maxReplicas\n  }\n",
): (typeof documents)["\n  fragment BackstageWorkerSet on WorkerSetView {\n    ready\n    desired\n    minReplicas\n    maxReplicas\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation BackstageCreateEvent($ns: String!, $input: CreateEventInput!) {\n    createEvent(organization: $ns, input: $input) {\n      id\n      name\n    }\n  }\n",
): (typeof documents)["\n  mutation BackstageCreateEvent($ns: String!, $input: CreateEventInput!) {\n    createEvent(organization: $ns, input: $input) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation BackstageUpdateEvent($ns: String!, $name: String!, $input: UpdateEventInput!, $force: Boolean) {\n    updateEvent(organization: $ns, name: $name, input: $input, force: $force) {\n      id\n      name\n      generation\n    }\n  }\n",
): (typeof documents)["\n  mutation BackstageUpdateEvent($ns: String!, $name: String!, $input: UpdateEventInput!, $force: Boolean) {\n    updateEvent(organization: $ns, name: $name, input: $input, force: $force) {\n      id\n      name\n      generation\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation BackstagePublishEvent($ns: String!, $name: String!, $force: Boolean) {\n    publishEvent(organization: $ns, name: $name, force: $force) {\n      id\n      name\n      state\n    }\n  }\n",
): (typeof documents)["\n  mutation BackstagePublishEvent($ns: String!, $name: String!, $force: Boolean) {\n    publishEvent(organization: $ns, name: $name, force: $force) {\n      id\n      name\n      state\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation BackstageCancelEvent($ns: String!, $name: String!, $force: Boolean) {\n    cancelEvent(organization: $ns, name: $name, force: $force) {\n      id\n      name\n      state\n    }\n  }\n",
): (typeof documents)["\n  mutation BackstageCancelEvent($ns: String!, $name: String!, $force: Boolean) {\n    cancelEvent(organization: $ns, name: $name, force: $force) {\n      id\n      name\n      state\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation BackstageCreateTier($ns: String!, $input: CreateTicketTierInput!) {\n    createTicketTier(organization: $ns, input: $input) {\n      name\n      event\n    }\n  }\n",
): (typeof documents)["\n  mutation BackstageCreateTier($ns: String!, $input: CreateTicketTierInput!) {\n    createTicketTier(organization: $ns, input: $input) {\n      name\n      event\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation BackstageUpdateTier($ns: String!, $name: String!, $input: UpdateTicketTierInput!, $force: Boolean) {\n    updateTicketTier(organization: $ns, name: $name, input: $input, force: $force) {\n      name\n      event\n    }\n  }\n",
): (typeof documents)["\n  mutation BackstageUpdateTier($ns: String!, $name: String!, $input: UpdateTicketTierInput!, $force: Boolean) {\n    updateTicketTier(organization: $ns, name: $name, input: $input, force: $force) {\n      name\n      event\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation BackstageDeleteTier($ns: String!, $name: String!, $force: Boolean) {\n    deleteTicketTier(organization: $ns, name: $name, force: $force)\n  }\n",
): (typeof documents)["\n  mutation BackstageDeleteTier($ns: String!, $name: String!, $force: Boolean) {\n    deleteTicketTier(organization: $ns, name: $name, force: $force)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query BackstageOrders(\n    $organization: String\n    $event: String\n    $first: Int\n    $after: String\n    $search: String\n    $states: [OrderState!]\n  ) {\n    orders(organization: $organization, event: $event, first: $first, after: $after, search: $search, states: $states) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        number\n        event\n        state\n        totalMinor\n        refundedMinor\n        currency\n        placedAtMs\n        buyer {\n          name\n          email\n        }\n      }\n    }\n  }\n",
): (typeof documents)["\n  query BackstageOrders(\n    $organization: String\n    $event: String\n    $first: Int\n    $after: String\n    $search: String\n    $states: [OrderState!]\n  ) {\n    orders(organization: $organization, event: $event, first: $first, after: $after, search: $search, states: $states) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        number\n        event\n        state\n        totalMinor\n        refundedMinor\n        currency\n        placedAtMs\n        buyer {\n          name\n          email\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query BackstageOrder($event: String!, $id: ID!) {\n    order(event: $event, id: $id) {\n      id\n      number\n      event\n      state\n      totalMinor\n      refundedMinor\n      currency\n      placedAtMs\n      paymentIntentId\n      paymentError\n      buyer {\n        name\n        email\n        phone\n      }\n      lines {\n        tier\n        description\n        quantity\n        unitPriceMinor\n        amountMinor\n      }\n      charges {\n        label\n        amountMinor\n      }\n      tickets {\n        id\n        tier\n        label\n        seat\n        admissions\n        refunded\n      }\n      refunds {\n        id\n        ticketIds\n        amountMinor\n        currency\n        feesReturned\n        state\n        reason\n      }\n      customer {\n        email\n        currency\n        orders\n        lifetimeValueMinor\n        refundedMinor\n      }\n    }\n  }\n",
): (typeof documents)["\n  query BackstageOrder($event: String!, $id: ID!) {\n    order(event: $event, id: $id) {\n      id\n      number\n      event\n      state\n      totalMinor\n      refundedMinor\n      currency\n      placedAtMs\n      paymentIntentId\n      paymentError\n      buyer {\n        name\n        email\n        phone\n      }\n      lines {\n        tier\n        description\n        quantity\n        unitPriceMinor\n        amountMinor\n      }\n      charges {\n        label\n        amountMinor\n      }\n      tickets {\n        id\n        tier\n        label\n        seat\n        admissions\n        refunded\n      }\n      refunds {\n        id\n        ticketIds\n        amountMinor\n        currency\n        feesReturned\n        state\n        reason\n      }\n      customer {\n        email\n        currency\n        orders\n        lifetimeValueMinor\n        refundedMinor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation BackstageResendTickets($orderId: ID!) {\n    resendTickets(orderId: $orderId) {\n      id\n      state\n    }\n  }\n",
): (typeof documents)["\n  mutation BackstageResendTickets($orderId: ID!) {\n    resendTickets(orderId: $orderId) {\n      id\n      state\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation BackstageRefundTickets($event: String!, $orderId: ID!, $ticketIds: [ID!]!, $reason: String, $refundId: ID) {\n    refundTickets(event: $event, orderId: $orderId, ticketIds: $ticketIds, reason: $reason, refundId: $refundId) {\n      id\n      amountMinor\n      currency\n      state\n      feesReturned\n    }\n  }\n",
): (typeof documents)["\n  mutation BackstageRefundTickets($event: String!, $orderId: ID!, $ticketIds: [ID!]!, $reason: String, $refundId: ID) {\n    refundTickets(event: $event, orderId: $orderId, ticketIds: $ticketIds, reason: $reason, refundId: $refundId) {\n      id\n      amountMinor\n      currency\n      state\n      feesReturned\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation BackstageRefundOrder($event: String!, $orderId: ID!, $reason: String, $refundId: ID) {\n    refundOrder(event: $event, orderId: $orderId, reason: $reason, refundId: $refundId) {\n      id\n      amountMinor\n      currency\n      state\n      feesReturned\n    }\n  }\n",
): (typeof documents)["\n  mutation BackstageRefundOrder($event: String!, $orderId: ID!, $reason: String, $refundId: ID) {\n    refundOrder(event: $event, orderId: $orderId, reason: $reason, refundId: $refundId) {\n      id\n      amountMinor\n      currency\n      state\n      feesReturned\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query BackstageExportLink($organization: String!, $event: String, $kind: ExportKind!) {\n    exportLink(organization: $organization, event: $event, kind: $kind) {\n      url\n      expiresAt\n      kind\n    }\n  }\n",
): (typeof documents)["\n  query BackstageExportLink($organization: String!, $event: String, $kind: ExportKind!) {\n    exportLink(organization: $organization, event: $event, kind: $kind) {\n      url\n      expiresAt\n      kind\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query BackstageBoxOfficeTiers($ns: String!, $name: String!) {\n    organization(namespace: $ns) {\n      namespace\n      event(name: $name) {\n        id\n        name\n        slug\n        title\n        state\n        currency\n        tiers(first: 100) {\n          nodes {\n            name\n            displayName\n            kind\n            priceMinor\n            currency\n            visibility\n            tableSeats\n            perOrder {\n              min\n              max\n            }\n            status {\n              available\n            }\n          }\n        }\n      }\n    }\n  }\n",
): (typeof documents)["\n  query BackstageBoxOfficeTiers($ns: String!, $name: String!) {\n    organization(namespace: $ns) {\n      namespace\n      event(name: $name) {\n        id\n        name\n        slug\n        title\n        state\n        currency\n        tiers(first: 100) {\n          nodes {\n            name\n            displayName\n            kind\n            priceMinor\n            currency\n            visibility\n            tableSeats\n            perOrder {\n              min\n              max\n            }\n            status {\n              available\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation BackstageHold($event: String!, $tier: String!, $quantity: Int, $seats: [String!], $holdId: ID) {\n    hold(event: $event, tier: $tier, quantity: $quantity, seats: $seats, holdId: $holdId) {\n      id\n      tier\n      quantity\n      seats\n      expiresAtMs\n    }\n  }\n",
): (typeof documents)["\n  mutation BackstageHold($event: String!, $tier: String!, $quantity: Int, $seats: [String!], $holdId: ID) {\n    hold(event: $event, tier: $tier, quantity: $quantity, seats: $seats, holdId: $holdId) {\n      id\n      tier\n      quantity\n      seats\n      expiresAtMs\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation BackstageCreateBoxOfficeOrder(\n    $event: String!\n    $holds: [OrderHoldInput!]!\n    $buyer: BuyerInput!\n    $payment: BoxOfficePayment!\n    $orderId: ID\n  ) {\n    createBoxOfficeOrder(event: $event, holds: $holds, buyer: $buyer, payment: $payment, orderId: $orderId) {\n      id\n      number\n      event\n      state\n      totalMinor\n      currency\n      buyer {\n        name\n        email\n      }\n      tickets {\n        id\n        label\n        seat\n      }\n    }\n  }\n",
): (typeof documents)["\n  mutation BackstageCreateBoxOfficeOrder(\n    $event: String!\n    $holds: [OrderHoldInput!]!\n    $buyer: BuyerInput!\n    $payment: BoxOfficePayment!\n    $orderId: ID\n  ) {\n    createBoxOfficeOrder(event: $event, holds: $holds, buyer: $buyer, payment: $payment, orderId: $orderId) {\n      id\n      number\n      event\n      state\n      totalMinor\n      currency\n      buyer {\n        name\n        email\n      }\n      tickets {\n        id\n        label\n        seat\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation BackstageReleaseHold($event: String!, $holdId: ID!) {\n    release(event: $event, holdId: $holdId)\n  }\n",
): (typeof documents)["\n  mutation BackstageReleaseHold($event: String!, $holdId: ID!) {\n    release(event: $event, holdId: $holdId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query BackstagePublicUrl {\n    portalConfig {\n      publicUrl\n    }\n  }\n",
): (typeof documents)["\n  query BackstagePublicUrl {\n    portalConfig {\n      publicUrl\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query BackstageRefundStats($event: String!) {\n    refundStats(event: $event) {\n      refunds\n      tickets\n      amountMinor\n      feesReturnedMinor\n      currency\n      ordersFullyRefunded\n    }\n  }\n",
): (typeof documents)["\n  query BackstageRefundStats($event: String!) {\n    refundStats(event: $event) {\n      refunds\n      tickets\n      amountMinor\n      feesReturnedMinor\n      currency\n      ordersFullyRefunded\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query BackstageRefundSeries($ns: String!, $event: String, $from: String!, $to: String!, $bucket: Bucket!) {\n    salesSeries(organization: $ns, event: $event, from: $from, to: $to, bucket: $bucket) {\n      currency\n      buckets {\n        start\n        orders\n        grossMinor\n        refundedMinor\n      }\n      total {\n        start\n        orders\n        grossMinor\n        refundedMinor\n      }\n    }\n  }\n",
): (typeof documents)["\n  query BackstageRefundSeries($ns: String!, $event: String, $from: String!, $to: String!, $bucket: Bucket!) {\n    salesSeries(organization: $ns, event: $event, from: $from, to: $to, bucket: $bucket) {\n      currency\n      buckets {\n        start\n        orders\n        grossMinor\n        refundedMinor\n      }\n      total {\n        start\n        orders\n        grossMinor\n        refundedMinor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation BackstageRefundEvent($event: String!, $dryRun: Boolean!) {\n    refundEvent(event: $event, dryRun: $dryRun) {\n      dryRun\n      orders\n      tickets\n      amountMinor\n      feesReturnedMinor\n      currency\n      failedOrders\n    }\n  }\n",
): (typeof documents)["\n  mutation BackstageRefundEvent($event: String!, $dryRun: Boolean!) {\n    refundEvent(event: $event, dryRun: $dryRun) {\n      dryRun\n      orders\n      tickets\n      amountMinor\n      feesReturnedMinor\n      currency\n      failedOrders\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query BackstageMembers($ns: String!, $after: String) {\n    organization(namespace: $ns) {\n      namespace\n      members(first: 100, after: $after) {\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          email\n          role\n          fieldOwners {\n            field\n            manager\n            byGateway\n          }\n        }\n      }\n    }\n  }\n",
): (typeof documents)["\n  query BackstageMembers($ns: String!, $after: String) {\n    organization(namespace: $ns) {\n      namespace\n      members(first: 100, after: $after) {\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          email\n          role\n          fieldOwners {\n            field\n            manager\n            byGateway\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation BackstageSetMember($ns: String!, $email: String!, $role: Role!, $force: Boolean) {\n    setMember(organization: $ns, email: $email, role: $role, force: $force) {\n      email\n      role\n    }\n  }\n",
): (typeof documents)["\n  mutation BackstageSetMember($ns: String!, $email: String!, $role: Role!, $force: Boolean) {\n    setMember(organization: $ns, email: $email, role: $role, force: $force) {\n      email\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation BackstageRemoveMember($ns: String!, $email: String!) {\n    removeMember(organization: $ns, email: $email)\n  }\n",
): (typeof documents)["\n  mutation BackstageRemoveMember($ns: String!, $email: String!) {\n    removeMember(organization: $ns, email: $email)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query BackstageVenues($ns: String!, $first: Int, $after: String, $last: Int, $before: String) {\n    organization(namespace: $ns) {\n      namespace\n      venues(first: $first, after: $after, last: $last, before: $before) {\n        pageInfo {\n          hasNextPage\n          hasPreviousPage\n          startCursor\n          endCursor\n        }\n        nodes {\n          name\n          displayName\n          timezone\n          capacity\n          address {\n            city\n            country\n          }\n          sections {\n            name\n          }\n        }\n      }\n    }\n  }\n",
): (typeof documents)["\n  query BackstageVenues($ns: String!, $first: Int, $after: String, $last: Int, $before: String) {\n    organization(namespace: $ns) {\n      namespace\n      venues(first: $first, after: $after, last: $last, before: $before) {\n        pageInfo {\n          hasNextPage\n          hasPreviousPage\n          startCursor\n          endCursor\n        }\n        nodes {\n          name\n          displayName\n          timezone\n          capacity\n          address {\n            city\n            country\n          }\n          sections {\n            name\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query BackstageVenue($ns: String!, $name: String!) {\n    organization(namespace: $ns) {\n      namespace\n      venue(name: $name) {\n        name\n        displayName\n        address {\n          line1\n          line2\n          city\n          region\n          postalCode\n          country\n        }\n        timezone\n        capacity\n        sections {\n          name\n          generalAdmissionCapacity\n          rows\n          seatsPerRow\n          seatLabels\n          tables\n          seatsPerTable\n        }\n        status {\n          ready {\n            status\n            reason\n            message\n          }\n          sectionCapacity\n        }\n        fieldOwners {\n          field\n          manager\n          operation\n          byGateway\n        }\n      }\n    }\n  }\n",
): (typeof documents)["\n  query BackstageVenue($ns: String!, $name: String!) {\n    organization(namespace: $ns) {\n      namespace\n      venue(name: $name) {\n        name\n        displayName\n        address {\n          line1\n          line2\n          city\n          region\n          postalCode\n          country\n        }\n        timezone\n        capacity\n        sections {\n          name\n          generalAdmissionCapacity\n          rows\n          seatsPerRow\n          seatLabels\n          tables\n          seatsPerTable\n        }\n        status {\n          ready {\n            status\n            reason\n            message\n          }\n          sectionCapacity\n        }\n        fieldOwners {\n          field\n          manager\n          operation\n          byGateway\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation BackstageCreateVenue($ns: String!, $input: CreateVenueInput!) {\n    createVenue(organization: $ns, input: $input) {\n      name\n    }\n  }\n",
): (typeof documents)["\n  mutation BackstageCreateVenue($ns: String!, $input: CreateVenueInput!) {\n    createVenue(organization: $ns, input: $input) {\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation BackstageUpdateVenue($ns: String!, $name: String!, $input: UpdateVenueInput!, $force: Boolean) {\n    updateVenue(organization: $ns, name: $name, input: $input, force: $force) {\n      name\n    }\n  }\n",
): (typeof documents)["\n  mutation BackstageUpdateVenue($ns: String!, $name: String!, $input: UpdateVenueInput!, $force: Boolean) {\n    updateVenue(organization: $ns, name: $name, input: $input, force: $force) {\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query BackstageEventChoices($ns: String!) {\n    organization(namespace: $ns) {\n      namespace\n      events(first: 100) {\n        nodes {\n          id\n          name\n          slug\n          title\n          state\n          currency\n        }\n      }\n    }\n  }\n",
): (typeof documents)["\n  query BackstageEventChoices($ns: String!) {\n    organization(namespace: $ns) {\n      namespace\n      events(first: 100) {\n        nodes {\n          id\n          name\n          slug\n          title\n          state\n          currency\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  query BackstageMe {\n    me {\n      login\n      email\n      superUser\n      organizations {\n        namespace\n        name\n        displayName\n        role\n      }\n    }\n  }\n",
): (typeof documents)["\n  query BackstageMe {\n    me {\n      login\n      email\n      superUser\n      organizations {\n        namespace\n        name\n        displayName\n        role\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: "\n  mutation BackstageLogout {\n    logout\n  }\n",
): (typeof documents)["\n  mutation BackstageLogout {\n    logout\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> =
  TDocumentNode extends DocumentNode<infer TType, any> ? TType : never;
